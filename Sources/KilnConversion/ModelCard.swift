import Foundation
import KilnCore
import KilnGGUF

/// A Hugging Face model card's front matter (the YAML between a first line `---` and the next
/// `---` of the folder's README.md), read as gguf-py's `Metadata.load_model_card` reads it, and the
/// `general.*` values its `apply_metadata_heuristic` takes from it: naming, author, description,
/// licence, source, base models, datasets, tags and languages.
///
/// Scalars that PyYAML would type as numbers, booleans or dates are kept as their text (the
/// converter fails on them); values of the wrong shape (a list where text is expected) are left out.
struct ModelCard {
    let root: YAMLFrontMatter.Node

    /// The front matter may not exceed this; real cards hold a few kilobytes.
    static let maximumFrontMatterBytes = 1 << 20

    /// The folder's card, or nil when there is no README.md, no front matter, or front matter that
    /// is not a mapping (the converter ignores those too).
    static func read(folder: String) throws -> ModelCard? {
        let path = "\(folder)/README.md"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try MappedFile(path: path)
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            throw ConversionError(path: path, "is not valid UTF-8")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard lines.first == "---" else { return nil }
        lines.removeFirst()
        var frontMatter: [Substring] = []
        var bytes = 0
        for line in lines {
            if line == "---" { break }
            bytes += line.utf8.count + 1
            guard bytes <= maximumFrontMatterBytes else {
                throw ConversionError(path: path, "model card front matter is larger than \(maximumFrontMatterBytes >> 20) MiB")
            }
            frontMatter.append(line)
        }
        // gguf-py's two textual fixes: "- no" stays the language code (not false), tabs are two spaces.
        let yaml = (frontMatter.joined(separator: "\n") + "\n")
            .replacingOccurrences(of: "- no\n", with: "- \"no\"\n")
            .replacingOccurrences(of: "\t", with: "  ")
        do {
            let root = try YAMLFrontMatter.parse(yaml)
            return root.members == nil ? nil : ModelCard(root: root)
        } catch let error as YAMLFrontMatter.SyntaxError {
            throw ConversionError(path: path, "model card front matter, line \(error.line + 1): \(error.message.escapedForMessage())")
        }
    }

    /// The first of `keys` the card gives text for (an earlier key that is null lets a later one in).
    func text(_ keys: String...) -> String? { keys.lazy.compactMap { root[$0]?.text }.first }

    /// The naming parts the card sets (they win over the hub id and the folder name).
    var naming: ModelNaming.Components {
        ModelNaming.Components(name: text("name", "model_name"), organization: text("organization", "model_organization"),
                               basename: text("basename", "model_basename", "model_type"), finetune: text("finetune", "model_finetune"),
                               version: text("version", "model_version"), sizeLabel: text("size_label", "model_size_label"))
    }

    var author: String? { text("author", "model_author", "model_creator") }
    var description: String? { text("description", "model_description") }

    /// Licence, source and lineage keys, in gguf-py's `set_gguf_meta_model` order.
    func entries(parameterCount: Int) -> [(key: String, value: GGUFValue)] {
        var out: [(key: String, value: GGUFValue)] = []
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { out.append((key, .string(value))) }  // gguf-py skips empty strings
        }
        if case .sequence(let licences)? = root["license"] {
            add("general.license", licences.compactMap(\.text).joined(separator: ","))
        } else {
            add("general.license", text("license"))
        }
        add("general.license.name", text("license_name"))
        add("general.license.link", text("license_link"))
        add("general.source.url", text("url", "model_url"))
        add("general.source.doi", text("doi", "model_doi"))
        add("general.source.uuid", text("uuid", "model_uuid"))
        add("general.source.repo_url", text("repo_url", "model_repo_url"))
        for (group, keys) in [("base_model", ["base_model", "base_models", "base_model_sources"]),
                              ("dataset", ["datasets", "dataset", "dataset_sources"])] {
            guard let present = keys.first(where: { root[$0] != nil }) else { continue }
            let references = references(in: root[present]!, parameterCount: parameterCount)
            out.append(("general.\(group).count", .uint32(UInt32(clamping: references.count))))
            for (index, reference) in references.enumerated() {
                for field in Self.referenceFields { add("general.\(group).\(index).\(field)", reference[field]) }
            }
        }
        for (key, sources) in [("general.tags", ["tags", "pipeline_tag"]), ("general.languages", ["languages", "language"])] {
            let values = sources.flatMap { source -> [String] in
                switch root[source] {
                case .sequence(let items)?: items.compactMap(\.text)
                case let node?: node.text.map { [$0] } ?? []
                case nil: []
                }
            }
            if !values.isEmpty { out.append((key, .array(.string(values)))) }
        }
        return out
    }

    private static let referenceFields = ["name", "author", "version", "organization", "description", "url", "doi", "uuid", "repo_url"]

    /// Base models or datasets: hub ids and URLs described by their parts, mappings taken as given,
    /// anything else an empty entry (the converter counts it too).
    private func references(in node: YAMLFrontMatter.Node, parameterCount: Int) -> [[String: String]] {
        let items: [YAMLFrontMatter.Node] = switch node {
        case .sequence(let items): items
        case .scalar: node.text == nil ? [] : [node]
        case .mapping: []
        }
        return items.map { item in
            if let members = item.members {
                return Dictionary(members.compactMap { m in m.value.text.map { (m.key, $0) } }, uniquingKeysWith: { $1 })
            }
            guard let id = item.text else { return [:] }
            if ["http://", "https://", "ssh://"].contains(where: id.hasPrefix) {
                var reference = ["repo_url": id]
                if id.contains("huggingface.co"), let match = id.wholeMatch(of: /https?:\/\/huggingface.co\/([^\/]+\/[^\/]+)/) {
                    reference.merge(Self.describe(String(match.1), parameterCount: parameterCount), uniquingKeysWith: { $1 })
                }
                return reference
            }
            var reference = Self.describe(id, parameterCount: parameterCount)
            if !id.contains(" "), let slash = id.firstIndex(of: "/"), !id[..<slash].hasPrefix(".") {
                reference["repo_url"] = "https://huggingface.co/\(id)"
            }
            return reference
        }
    }

    private static func describe(_ id: String, parameterCount: Int) -> [String: String] {
        let parts = ModelNaming.components(of: id, parameterCount: parameterCount)
        return ["name": parts.name, "organization": parts.organization, "version": parts.version].compactMapValues { $0 }
    }
}
