import Foundation
import KilnCheckpoints
import KilnCore

/// Wraps a user message in the model's chat format, recognised from its chat template.
///
/// Kiln does not run Jinja; it knows the formats its models use: Mistral's `[INST]`, Apriel's
/// `<|user|>` … `<|end|>` (Pixtral's tower on a reasoning decoder), Llama 3's header tokens and
/// ChatML. A template it does not recognise is an error, not a guess.
public struct ChatFormat: Sendable {
    public enum Style: Sendable { case mistral, apriel, llama3, chatML }
    public let style: Style

    public init(_ spec: ModelSpec) throws {
        var template = spec.ggufMetadata?["tokenizer.chat_template"]?.stringValue ?? ""
        if template.isEmpty, let config = spec.tokenizerFiles?.tokenizerConfig ?? spec.tokenizerFiles?.chatTemplate {
            template = try MappedFile(path: config).text
        }
        if template.isEmpty, spec.tokenizerFiles?.tekken != nil { template = "[INST]" }
        guard let style = Self.style(ofTemplate: template) else {
            throw RuntimeError(path: spec.path, "has no chat template Kiln recognises ([INST], Apriel, Llama 3 or ChatML)")
        }
        self.style = style
    }

    public init(style: Style) { self.style = style }

    /// Apriel's template is checked first: it mentions no `[INST]`, but Mistral-derived tokenizers may.
    static func style(ofTemplate template: String) -> Style? {
        if template.contains("<|user|>"), template.contains("<|end|>") { return .apriel }
        if template.contains("[INST]") { return .mistral }
        if template.contains("<|start_header_id|>") { return .llama3 }
        if template.contains("<|im_start|>") { return .chatML }
        return nil
    }

    /// The prompt text, special tokens written out (encode it with `parseSpecial`). Images given as
    /// markers at the start of `message` stay where the templates put images: first in the user turn.
    public func wrap(_ message: String) -> String {
        switch style {
        case .mistral: "[INST]\(message)[/INST]"
        case .apriel: "<|system|>\n\(Self.aprielReasoningPrompt)\n<|end|>\n<|user|>\n\(message)\n<|end|>\n<|assistant|>\n"
        case .llama3: "<|start_header_id|>user<|end_header_id|>\n\n\(message)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        case .chatML: "<|im_start|>user\n\(message)<|im_end|>\n<|im_start|>assistant\n"
        }
    }

    /// How a reasoning model marks its answer after the reasoning, nil for formats without one.
    public var answerMarkers: (begin: String, end: String)? {
        style == .apriel ? ("[BEGIN FINAL RESPONSE]", "[END FINAL RESPONSE]") : nil
    }

    /// The system prompt Apriel's template adds when the conversation has none.
    static let aprielReasoningPrompt = "You are a thoughtful and systematic AI assistant built by ServiceNow Language Models (SLAM) lab. Before providing an answer, analyze the problem carefully and present your reasoning step by step. After explaining your thought process, provide the final solution in the following format: [BEGIN FINAL RESPONSE] ... [END FINAL RESPONSE]."
}

/// Splits a streamed reply into reasoning and answer at the format's markers, holding back text
/// that could be the start of a marker until the next piece decides it.
public struct AnswerSplitter: Sendable {
    public enum Part: Sendable, Equatable { case reasoning, answer }

    let begin: String, end: String
    private(set) var part: Part = .reasoning
    private var pending = ""
    private var ended = false

    public init(begin: String, end: String) {
        self.begin = begin
        self.end = end
    }

    /// Text pieces of each part that `piece` completes, in order.
    public mutating func append(_ piece: String) -> [(Part, String)] {
        pending += piece
        var out: [(Part, String)] = []
        while !ended {
            let marker = part == .reasoning ? begin : end
            if let range = pending.range(of: marker) {
                let before = String(pending[..<range.lowerBound])
                if !before.isEmpty { out.append((part, before)) }
                pending = String(pending[range.upperBound...])
                if part == .reasoning { part = .answer } else { ended = true }
                continue
            }
            // Keep the longest tail that is a prefix of the marker; everything before it is settled.
            let keep = (0...min(marker.count - 1, pending.count)).last { pending.hasSuffix(marker.prefix($0)) } ?? 0
            let settled = String(pending.dropLast(keep))
            if !settled.isEmpty { out.append((part, settled)) }
            pending = String(pending.suffix(keep))
            return out
        }
        // After the end marker everything is the answer's trailer (e.g. `<|end|>`); drop it.
        pending = ""
        return out
    }

    /// What is still held back when the reply ends.
    public mutating func finish() -> [(Part, String)] {
        defer { pending = "" }
        return pending.isEmpty || ended ? [] : [(part, pending)]
    }
}
