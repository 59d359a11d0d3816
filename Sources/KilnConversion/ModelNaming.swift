import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF

/// The `general.*` description keys as gguf-py derives them: sampling defaults from
/// generation_config.json, then name, version, organization, finetune, basename and size label from
/// the model card (README.md front matter), else parsed from the hub id (`_name_or_path`) or the
/// folder name, then the card's author, description, licence, sources, lineage, tags and languages.
enum ModelNaming {
    struct Components: Equatable {
        var name: String?
        var organization: String?
        var basename: String?
        var finetune: String?
        var version: String?
        var sizeLabel: String?
    }

    static func entries(for spec: ModelSpec, parameterCount: Int) throws -> [(key: String, value: GGUFValue)] {
        var out = try samplingEntries(spec.tokenizerFiles?.generationConfig)
        let card = try ModelCard.read(folder: spec.path)
        var found = card?.naming ?? Components()
        if let hubID = spec.configuration?["_name_or_path"]?.stringValue, hubID.filter({ $0 == "/" }).count <= 1 {
            found = merged(found, components(of: hubID, parameterCount: parameterCount))
        }
        let folder = (spec.path as NSString).lastPathComponent
        found = merged(found, components(of: folder, parameterCount: parameterCount))
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { out.append((key, .string(value))) }  // gguf-py skips empty strings
        }
        add("general.name", found.name ?? folder)
        add("general.author", card?.author)
        add("general.version", found.version)
        add("general.organization", found.organization)
        add("general.finetune", found.finetune)
        add("general.basename", found.basename)
        add("general.description", card?.description)
        add("general.size_label", found.sizeLabel ?? sizeLabel(parameterCount))
        out += card?.entries(parameterCount: parameterCount) ?? []
        return out
    }

    /// Fills what `current` lacks from `next`, as each heuristic in turn does.
    private static func merged(_ current: Components, _ next: Components) -> Components {
        Components(name: current.name ?? next.name, organization: current.organization ?? next.organization,
                   basename: current.basename ?? next.basename, finetune: current.finetune ?? next.finetune,
                   version: current.version ?? next.version, sizeLabel: current.sizeLabel ?? next.sizeLabel)
    }

    private static func samplingEntries(_ path: String?) throws -> [(key: String, value: GGUFValue)] {
        guard let path, let config = try? JSON.read(contentsOf: path, rejectDuplicateKeys: false) else { return [] }
        var out: [(key: String, value: GGUFValue)] = []
        func float(_ key: String, _ names: [String]) {
            if let v = names.lazy.compactMap({ config[$0]?.doubleValue }).first { out.append(("general.sampling.\(key)", .float32(Float(v)))) }
        }
        func int(_ key: String, _ name: String) {
            if let v = config[name]?.intValue { out.append(("general.sampling.\(key)", .int32(Int32(clamping: v)))) }
        }
        if let v = config["sequence"]?.stringValue { out.append(("general.sampling.sequence", .string(v))) }
        int("top_k", "top_k")
        float("top_p", ["top_p"])
        float("min_p", ["min_p"])
        float("xtc_probability", ["xtc_probability"])
        float("xtc_threshold", ["xtc_threshold"])
        float("temp", ["temperature"])
        int("penalty_last_n", "penalty_last_n")
        float("penalty_repeat", ["penalty_repeat", "repetition_penalty"])
        int("mirostat", "mirostat")
        float("mirostat_tau", ["mirostat_tau"])
        float("mirostat_eta", ["mirostat_eta"])
        return out
    }

    /// gguf-py's `get_model_id_components`: splits `org/name-parts` and labels each part.
    static func components(of modelID: String, parameterCount: Int) -> Components {
        if modelID.contains(" ") { return Components(name: title(modelID)) }
        var organization: String?
        var full = modelID
        if let slash = modelID.firstIndex(of: "/") {
            let org = String(modelID[..<slash])
            full = String(modelID[modelID.index(after: slash)...])
            if !org.isEmpty, !org.hasPrefix(".") { organization = title(org) }
        }
        var parts = full.split(separator: "-").map(String.init)
        var labels = [Set<String>](repeating: [], count: parts.count)
        for (i, original) in parts.enumerated() {
            var part = original
            if part.wholeMatch(of: /(?i)(v|iter)?\d+([.]\d+)*/) != nil {
                labels[i].insert("version")
            } else if part.wholeMatch(of: /(?i)i?q\d(_\w)*|b?fp?(16|32)/) != nil {
                labels[i].insert("type")
                parts[i] = part.uppercased()
            } else if i > 0, part.wholeMatch(of: /(?i)(([A]|\d+[x])?\d+([._]\d+)?[KMBT][\d]?|small|mini|medium|large|x?xl)/) != nil {
                part = part.replacingOccurrences(of: "_", with: ".")
                var chars = Array(part)
                if chars.last!.isNumber, chars.count >= 2 {  // bloom-7b1 → 7.1B
                    chars = Array(chars.dropLast(2)) + ["."] + [chars[chars.count - 1], chars[chars.count - 2]]
                }
                if chars.count > 1, chars[chars.count - 2].isNumber, "kmbt".contains(chars.last!) {
                    chars[chars.count - 1] = Character(chars.last!.uppercased())
                }
                part = String(chars)
                if parameterCount != 0, let number = Double(String(chars.dropLast())) {
                    let scale = " KMBT".firstIndex(of: chars.last!).map { " KMBT".distance(from: " KMBT".startIndex, to: $0) } ?? -1
                    let labelled = number * pow(1000, Double(scale))
                    // A label far from the real size is a context length or similar, not a size.
                    if parameterCount > 0, abs(labelled - Double(parameterCount)) > Double(7 * parameterCount / 8) {
                        labels[i].insert("finetune")
                        part = String(chars.dropLast()) + chars.last!.lowercased()
                    }
                }
                if labels[i].isEmpty { labels[i].insert("size_label") }
                parts[i] = part
            } else if i > 0, part.wholeMatch(of: /(?i)chat|instruct|vision|lora/) != nil {
                labels[i].insert("finetune")
            }
        }
        if zip(parts, labels).contains(where: { $1.contains("size_label") && $0.contains(where: \.isNumber) }) {
            for i in parts.indices where labels[i].contains("size_label") && parts[i].allSatisfy(\.isLetter) {
                labels[i].remove("size_label")
            }
        }
        var atStart = true
        for i in parts.indices {
            if atStart && ((labels[i].isEmpty && parts[i].first?.isLetter == true) || labels[i].contains("version")) {
                labels[i].insert("basename")
            } else {
                atStart = false
                if labels[i].isEmpty { labels[i].insert("finetune") }
            }
        }
        for i in parts.indices.reversed() {
            guard labels[i].contains("basename"), labels[i].count > 1 else { break }
            labels[i].remove("basename")
        }
        func joined(_ label: String, excluding: String? = nil) -> String? {
            var seen: [String] = []
            for (part, l) in zip(parts, labels) where l.contains(label) && !(excluding.map(l.contains) ?? false) {
                if label != "size_label" || !seen.contains(part) { seen.append(part) }
            }
            return seen.isEmpty ? nil : seen.joined(separator: "-")
        }
        var result = Components(name: title(full), organization: organization, basename: joined("basename"),
                                finetune: joined("finetune"), version: joined("version", excluding: "basename"),
                                sizeLabel: joined("size_label"))
        if result.sizeLabel == nil && result.finetune == nil && result.version == nil { result.basename = nil }
        return result
    }

    /// gguf-py's `id_to_title`: dashes become spaces and lowercase words are title-cased, except
    /// versions and words starting with a digit.
    static func title(_ id: String) -> String {
        id.replacingOccurrences(of: "-", with: " ").split(separator: " ").map { word in
            let w = String(word)
            let keep = w != w.lowercased() || w == w.uppercased() || w.first?.isNumber == true || w.wholeMatch(of: /v\d+(\.\d+)*/) != nil
            return keep ? w : pythonTitle(w)
        }.joined(separator: " ")
    }

    /// Python's `str.title()`: a letter after a non-letter starts upper case, others lower.
    private static func pythonTitle(_ word: String) -> String {
        var out = ""
        var previousIsLetter = false
        for ch in word {
            out += previousIsLetter ? ch.lowercased() : ch.uppercased()
            previousIsLetter = ch.isLetter
        }
        return out
    }

    /// gguf-py's `size_label`: the parameter count with at least two significant digits (`3.1M`, `12B`).
    static func sizeLabel(_ parameters: Int) -> String {
        let count = Double(parameters)
        let (scaled, suffix): (Double, String) = switch count {
        case _ where count > 1e12: (count * 1e-12, "T")
        case _ where count > 1e9: (count * 1e-9, "B")
        case _ where count > 1e6: (count * 1e-6, "M")
        default: (count * 1e-3, "K")
        }
        let integerDigits = String(Int(scaled.rounded(.toNearestOrEven))).drop { $0 == "0" }.count
        return String(format: "%.\(max(2 - integerDigits, 0))f", scaled) + suffix
    }
}
