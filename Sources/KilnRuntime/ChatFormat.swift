import Foundation
import KilnCheckpoints
import KilnCore

/// Wraps a user message in the model's chat format, recognised from its chat template.
///
/// Kiln does not run Jinja; it knows the formats its models use: Mistral's `[INST]`, Apriel's
/// `<|user|>` … `<|end|>` (Pixtral's tower on a reasoning decoder), Phi-3's (the same markers without
/// Apriel's reasoning prompt), Phi-4-mini's (the same markers without newlines, its template writing
/// `'<|' + role + '|>'`), Llama 3's header tokens, ChatML, Phi-4's ChatML with `<|im_sep|>` after
/// the role and no newlines, and Gemma's turns. A template it does not recognise is an error, not a guess.
public struct ChatFormat: Sendable {
    public enum Style: Sendable { case mistral, apriel, phi3, phi4Mini, llama3, chatML, phi4, gemma }
    public let style: Style

    public init(_ spec: ModelSpec) throws {
        var template = spec.ggufMetadata?["tokenizer.chat_template"]?.stringValue ?? ""
        if template.isEmpty, let files = spec.tokenizerFiles { template = try Self.template(in: files) }
        if template.isEmpty, spec.tokenizerFiles?.tekken != nil { template = "[INST]" }
        guard let style = Self.style(ofTemplate: template) else {
            throw RuntimeError(path: spec.path, "has no chat template Kiln recognises ([INST], Apriel, Phi-3, Phi-4-mini, Llama 3, ChatML, Phi-4 or Gemma)")
        }
        self.style = style
    }

    public init(style: Style) { self.style = style }

    /// A folder's template: `chat_template` in tokenizer_config.json (the default of a named list), else
    /// chat_template.jinja, else chat_template.json's `chat_template`. Only the template is searched,
    /// never the rest of the file (whose added tokens may name `[INST]`).
    static func template(in files: TokenizerFiles) throws -> String {
        func named(_ value: JSON?) -> String? {
            value?.stringValue ?? value?.arrayValue?.first { $0["name"]?.stringValue == "default" }?["template"]?.stringValue
        }
        if let config = files.tokenizerConfig, let template = named(try JSON.read(contentsOf: config, rejectDuplicateKeys: false)["chat_template"]) {
            return template
        }
        guard let path = files.chatTemplate else { return "" }
        if path.hasSuffix(".json") { return named(try JSON.read(contentsOf: path, rejectDuplicateKeys: false)["chat_template"]) ?? "" }
        return try MappedFile(path: path).text
    }

    /// Apriel's template is checked first: it mentions no `[INST]`, but Mistral-derived tokenizers may.
    /// Its answer markers tell it from Phi-3's `<|user|>` … `<|end|>`.
    static func style(ofTemplate template: String) -> Style? {
        if template.contains("<|user|>"), template.contains("<|end|>"), template.contains("[BEGIN FINAL RESPONSE]") { return .apriel }
        if template.contains("<|user|>"), template.contains("<|end|>"), template.contains("<|assistant|>") { return .phi3 }
        if template.contains("'<|' + message['role'] + '|>'"), template.contains("<|end|>"), template.contains("<|assistant|>") { return .phi4Mini }
        if template.contains("[INST]") { return .mistral }
        if template.contains("<|start_header_id|>") { return .llama3 }
        if template.contains("<|im_start|>"), template.contains("<|im_sep|>") { return .phi4 }
        if template.contains("<|im_start|>") { return .chatML }
        if template.contains("<start_of_turn>") { return .gemma }
        return nil
    }

    /// The prompt text, special tokens written out (encode it with `parseSpecial`). Images given as
    /// markers at the start of `message` stay where the templates put images: first in the user turn.
    public func wrap(_ message: String) -> String {
        switch style {
        case .mistral: "[INST]\(message)[/INST]"
        case .apriel: "<|system|>\n\(Self.aprielReasoningPrompt)\n<|end|>\n<|user|>\n\(message)\n<|end|>\n<|assistant|>\n"
        case .phi3: "<|user|>\n\(message)<|end|>\n<|assistant|>\n"
        case .phi4Mini: "<|user|>\(message)<|end|><|assistant|>"
        case .llama3: "<|start_header_id|>user<|end_header_id|>\n\n\(message)<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        case .chatML: "<|im_start|>user\n\(message)<|im_end|>\n<|im_start|>assistant\n"
        case .phi4: "<|im_start|>user<|im_sep|>\(message)<|im_end|><|im_start|>assistant<|im_sep|>"
        case .gemma: "<start_of_turn>user\n\(message)<end_of_turn>\n<start_of_turn>model\n"
        }
    }

    /// The special token that ends the model's turn when it is not the tokenizer's EOS (Phi-3's `<|end|>`,
    /// Phi-4's `<|im_end|>` (its first release's EOS is `<|endoftext|>`), Gemma's `<end_of_turn>`;
    /// llama.cpp stops there too, as an end-of-generation token).
    public var endOfTurn: String? {
        switch style {
        case .phi3, .phi4Mini: "<|end|>"
        case .phi4: "<|im_end|>"
        case .gemma: "<end_of_turn>"
        default: nil
        }
    }

    /// How a reasoning model marks its answer after the reasoning, nil for formats without one.
    public var answerMarkers: (begin: String, end: String)? {
        style == .apriel ? ("[BEGIN FINAL RESPONSE]", "[END FINAL RESPONSE]") : nil
    }

    /// The system prompt Apriel's template adds when the conversation has none.
    static let aprielReasoningPrompt = "You are a thoughtful and systematic AI assistant built by ServiceNow Language Models (SLAM) lab. Before providing an answer, analyze the problem carefully and present your reasoning step by step. After explaining your thought process, provide the final solution in the following format: [BEGIN FINAL RESPONSE] ... [END FINAL RESPONSE]."
}
