import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF

/// Special token ids, add-BOS/EOS flags, merges and chat template, found by the same rules as
/// gguf-py's `SpecialVocab` (tokenizer.json post-processor, tokenizer_config.json, config.json),
/// so the keys and their order match llama.cpp's converter.
struct SpecialTokens {
    static let defaultTypes = ["bos", "eos", "unk", "sep", "pad", "cls", "mask"]
    /// The types GGUFWriter has an id setter for; gguf-py skips the others (`cls`, CodeLlama's
    /// `prefix`/`suffix`/`middle`) with a warning.
    private static let idKeys = ["bos": "bos_token_id", "eos": "eos_token_id", "unk": "unknown_token_id", "sep": "seperator_token_id",
                                 "pad": "padding_token_id", "mask": "mask_token_id", "eot": "eot_token_id", "eom": "eom_token_id"]
    /// The `add_<type>_token` flags GGUFWriter has a setter for.
    private static let flagTypes: Set = ["bos", "eos", "sep"]

    /// Token ids in the order they were found.
    private(set) var ids: [(type: String, id: Int)] = []
    /// `add_<type>_token` flags in the order they were found.
    private(set) var addFlags: [(type: String, value: Bool)] = []
    private(set) var merges: [String] = []
    private(set) var chatTemplate: String?
    /// Ids at or above this are skipped (nil: gguf-py's GPT-2 path, which checks nothing).
    private let vocabularySize: Int?
    /// The types looked up; a TemplateProcessing that ends in another token than the EOS adds `eot`
    /// (or `eom`) for the old EOS.
    private var types: [String]

    init(files: TokenizerFiles, configuration: JSON?, vocabularySize: Int?, loadMerges: Bool, types: [String] = defaultTypes) throws {
        self.vocabularySize = vocabularySize
        self.types = types
        let tokenizer = try files.tokenizerJSON.map { try JSON.read(contentsOf: $0, rejectDuplicateKeys: false) }
        var config = try files.tokenizerConfig.map { try JSON.read(contentsOf: $0, rejectDuplicateKeys: false) }
        if loadMerges, let rawMerges = tokenizer?["model"]?["merges"]?.arrayValue {
            merges = rawMerges.map { merge in
                if let text = merge.stringValue { return text }
                // Pairs (transformers ≥ 4.45) may hold spaces; llama.cpp spells them as U+0120.
                return (merge.arrayValue ?? []).compactMap(\.stringValue)
                    .map { String($0.unicodeScalars.map { $0 == " " ? "\u{0120}" : Character($0) }) }
                    .joined(separator: " ")
            }
        }
        let addedTokens = tokenizer?["added_tokens"]?.arrayValue ?? []

        if let tokenizer {
            var special: [String: String] = [:]
            for type in ["bos", "cls", "eos", "sep"] { special[type] = config?["\(type)_token"]?.stringValue }
            if special["bos"] == nil, let cls = special["cls"], config != nil { special["bos"] = cls; config = config?.setting(["bos_token"], to: .string(cls)) }
            if special["eos"] == nil, let sep = special["sep"], config != nil { special["eos"] = sep; config = config?.setting(["eos_token"], to: .string(sep)) }
            if let processor = tokenizer["post_processor"], !processor.isNull {
                for step in processor["processors"]?.arrayValue ?? [processor] {
                    applyPostProcessor(step, special: &special, config: &config)
                }
            }
        }
        if let config {
            chatTemplate = try Self.chatTemplate(config: config, files: files)
            for type in self.types {
                if let flag = config["add_\(type)_token"]?.boolValue, !addFlags.contains(where: { $0.type == type }) {
                    addFlags.append((type, flag))
                }
                let entry = config["\(type)_token"]
                guard let content = entry?.stringValue ?? entry?["content"]?.stringValue else { continue }
                setID(type, addedTokens.first { $0["content"]?.stringValue == content }?["id"]?.intValue)
            }
        }
        for type in self.types {
            setID(type, configuration?["\(type)_token_id"]?.intValue ?? configuration?["text_config"]?["\(type)_token_id"]?.intValue)
        }
    }

    /// The GGUF entries, in the order gguf-py writes them.
    var entries: [(key: String, value: GGUFValue)] {
        var out: [(key: String, value: GGUFValue)] = []
        if !merges.isEmpty { out.append(("tokenizer.ggml.merges", .array(.string(merges)))) }
        for (type, id) in ids { if let key = Self.idKeys[type] { out.append(("tokenizer.ggml.\(key)", .uint32(UInt32(clamping: id)))) } }
        for (type, value) in addFlags where Self.flagTypes.contains(type) { out.append(("tokenizer.ggml.add_\(type)_token", .bool(value))) }
        if let chatTemplate { out.append(("tokenizer.chat_template", .string(chatTemplate))) }
        return out
    }

    /// gguf-py's `_set_special_token`: the first id found for a type wins.
    mutating func setID(_ type: String, _ id: Int?) {
        guard let id, id >= 0, id < vocabularySize ?? Int.max, !ids.contains(where: { $0.type == type }) else { return }
        ids.append((type, id))
    }

    private mutating func setFlag(_ type: String, _ value: Bool, onlyIfUnset: Bool = false) {
        if let i = addFlags.firstIndex(where: { $0.type == type }) {
            if !onlyIfUnset { addFlags[i].value = value }
        } else {
            addFlags.append((type, value))
        }
    }

    /// The crude reading of a tokenizer.json post-processor that gguf-py does.
    private mutating func applyPostProcessor(_ step: JSON, special: inout [String: String], config: inout JSON?) {
        switch step["type"]?.stringValue {
        case "ByteLevel":
            setFlag("bos", false, onlyIfUnset: true)
            setFlag("eos", false, onlyIfUnset: true)
        case "RobertaProcessing":
            for type in ["bos", "eos", "sep"] { setFlag(type, true) }
        case "TemplateProcessing":
            let single = step["single"]?.arrayValue ?? []
            let pair = step["pair"]?.arrayValue ?? []
            func specialID(_ item: JSON?) -> String? { item?["SpecialToken"]?["id"]?.stringValue }
            var first: String?, last: String?
            if single.count > 1 {
                if let f = specialID(single.first) {
                    first = f
                    if config == nil { special["bos"] = f } else if f != special["bos"] && f != special["cls"] {
                        if special["bos"] == nil { special["bos"] = f; config = config?.setting(["bos_token"], to: .string(f)) }
                        if special["cls"] == nil { special["cls"] = f }
                    }
                    setFlag("bos", f == special["bos"] || f == special["cls"])
                }
                if let l = specialID(single.last) {
                    last = l
                    if config == nil { special["eos"] = l } else if l != special["eos"] {
                        let previous: JSON = special["eos"].map { .string($0) } ?? .null
                        if !types.contains("eot") {
                            types.append("eot")
                            config = config?.setting(["eot_token"], to: previous)
                        } else if !types.contains("eom") {
                            types.append("eom")
                            config = config?.setting(["eom_token"], to: previous)
                        }
                        special["eos"] = l
                        config = config?.setting(["eos_token"], to: .string(l))
                    }
                    setFlag("eos", l == special["eos"])
                }
            }
            guard !pair.isEmpty else { return }
            let start = first != nil && specialID(pair.first) == first ? 1 : 0
            let stop = last != nil && specialID(pair.last) == last ? pair.count - 1 : pair.count
            guard start < stop else { return }
            let middle = Array(pair[start..<stop])
            guard middle.first?["Sequence"]?["id"]?.stringValue == "A", middle.last?["Sequence"]?["id"]?.stringValue == "B", middle.count > 2 else { return }
            let separators = Array(middle[1..<middle.count - 1])
            var addSeparator = false
            if let entry = specialID(separators.first), (entry == special["sep"] || entry == special["eos"]) && last == nil { addSeparator = true }
            if separators.count == 2, let entry = specialID(separators[1]), entry == special["sep"] || entry == special["eos"] { addSeparator = true }
            setFlag("sep", addSeparator)
        default:
            break
        }
    }

    private static func chatTemplate(config: JSON, files: TokenizerFiles) throws -> String? {
        if let template = config["chat_template"] {
            if let text = template.stringValue { return text }
            // A list of named templates: llama.cpp keeps the default one.
            return template.arrayValue?.first { $0["name"]?.stringValue == "default" }?["template"]?.stringValue
        }
        guard let path = files.chatTemplate else { return nil }
        if path.hasSuffix(".jinja") { return try MappedFile(path: path).text }
        return try JSON.read(contentsOf: path, rejectDuplicateKeys: false)["chat_template"]?.stringValue
    }
}
