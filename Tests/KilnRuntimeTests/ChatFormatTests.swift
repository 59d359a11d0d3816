import KilnCheckpoints
@testable import KilnRuntime
import KilnTestSupport
import Testing

@Suite struct ChatFormatTests {
    /// The user turn exactly as jinja2 renders llama.cpp's Apriel template (models/templates/unsloth-Apriel-1.5.jinja)
    /// for one user message with an image chunk first, no tools, no system message (checked once by hand).
    @Test func aprielWrapsLikeItsTemplate() throws {
        // The lines of the template that Kiln's recognition reads (reasoning prompt, user turn).
        let template = "{%- set reasoning_prompt='… in the following format: [BEGIN FINAL RESPONSE] ... [END FINAL RESPONSE].' -%}"
            + "{{- '<|system|>\\n' + reasoning_prompt + '\\n<|end|>\\n' -}} {{- '<|user|>\\n' }} {{- '\\n<|end|>\\n' }}"
        let format = ChatFormat(style: try #require(ChatFormat.style(ofTemplate: template)))
        #expect(format.style == .apriel)
        #expect(format.wrap("[IMG]What is this?") == "<|system|>\n" + ChatFormat.aprielReasoningPrompt
            + "\n<|end|>\n<|user|>\n[IMG]What is this?\n<|end|>\n<|assistant|>\n")
        #expect(ChatFormat.style(ofTemplate: "{{ '[INST]' + message + '[/INST]' }}") == .mistral)
        // Turns that look alike without Apriel's answer markers or Phi-3's assistant turn are not guessed at.
        #expect(ChatFormat.style(ofTemplate: "{{'<|user|>' + '\\n' + message['content'] + '<|end|>'}}") == nil)
    }

    /// The user turn as transformers' `apply_chat_template` renders tiny-phi3's template (Phi-3's) for
    /// one user message with the generation prompt (checked once by hand).
    @Test func phi3WrapsLikeItsTemplate() throws {
        let format = try ChatFormat(try CheckpointReader.open(Fixtures.path("tiny-phi3")))
        #expect(format.style == .phi3)
        #expect(format.wrap("Who begat Enos?") == "<|user|>\nWho begat Enos?<|end|>\n<|assistant|>\n")
        #expect(format.endOfTurn == "<|end|>")
    }

    /// Phi-4's template is ChatML with `<|im_sep|>` after the role and no newlines; Phi-4-mini's writes
    /// each turn as `'<|' + role + '|>'`, content and `<|end|>`, without Phi-3's newlines (both renderings
    /// are checked against transformers' by make_family_goldens.py). The reply ends at one special token:
    /// `<|im_end|>`, or `<|end|>` (Phi-4-mini's 200020).
    @Test(arguments: [("tiny-phi4", ChatFormat.Style.phi4, "<|im_start|>user<|im_sep|>Who begat Enos?<|im_end|><|im_start|>assistant<|im_sep|>", 937),
                      ("tiny-phi4-mini", .phi4Mini, "<|user|>Who begat Enos?<|end|><|assistant|>", 980)])
    func phi4FamilyWrapsLikeItsTemplate(_ fixture: String, _ style: ChatFormat.Style, _ rendered: String, _ endOfTurn: Int) throws {
        let spec = try CheckpointReader.open(Fixtures.path(fixture))
        let format = try ChatFormat(spec)
        #expect(format.style == style)
        #expect(format.wrap("Who begat Enos?") == rendered)
        #expect(try TokenizerLoader.load(spec).encode(try #require(format.endOfTurn), addBOS: false, parseSpecial: true) == [endOfTurn])
        #expect(ChatFormat.style(ofTemplate: "{{'<|im_start|>' + message['role'] + '\\n'}}") == .chatML)
    }

    /// tiny-gemma3's template, rendered by jinja2 for one user message with a generation prompt, is
    /// "<bos><start_of_turn>user\nWho made the sea?<end_of_turn>\n<start_of_turn>model\n" (checked once
    /// by hand); the tokenizer adds the BOS. Generation stops at <end_of_turn>, a single special token.
    @Test func gemmaWrapsLikeItsTemplate() throws {
        let spec = try CheckpointReader.open(Fixtures.path("tiny-gemma3"))
        let format = try ChatFormat(spec)
        #expect(format.style == .gemma)
        #expect(format.wrap("Who made the sea?") == "<start_of_turn>user\nWho made the sea?<end_of_turn>\n<start_of_turn>model\n")
        let tokenizer = try TokenizerLoader.load(spec)
        #expect(tokenizer.encode(try #require(format.endOfTurn), addBOS: false, parseSpecial: true).count == 1)
    }

    @Test(arguments: [1, 2, 3, 7, 100])
    func splitsReasoningFromTheAnswerWhateverThePieces(pieceLength: Int) {
        let reply = "Here are my reasoning steps: a [ bracket, then [BEGIN FINAL RESPONSE]The answer is 4.[END FINAL RESPONSE]\n<|end|>"
        var splitter = AnswerSplitter(begin: "[BEGIN FINAL RESPONSE]", end: "[END FINAL RESPONSE]")
        var reasoning = "", answer = ""
        var rest = Substring(reply)
        while !rest.isEmpty {
            for (part, text) in splitter.append(String(rest.prefix(pieceLength))) {
                if part == .reasoning { reasoning += text } else { answer += text }
            }
            rest = rest.dropFirst(pieceLength)
        }
        for (part, text) in splitter.finish() { if part == .reasoning { reasoning += text } else { answer += text } }
        #expect(reasoning == "Here are my reasoning steps: a [ bracket, then ")
        #expect(answer == "The answer is 4.")
    }

    @Test func aReplyWithoutMarkersIsAllReasoning() {
        var splitter = AnswerSplitter(begin: "[BEGIN FINAL RESPONSE]", end: "[END FINAL RESPONSE]")
        let parts = splitter.append("no marker [BEGIN") + splitter.finish()
        #expect(parts.map(\.1).joined() == "no marker [BEGIN")
        #expect(parts.allSatisfy { $0.0 == .reasoning })
    }
}
