import KilnCore

extension JSON {
    /// The layout of Python's `json.dumps(indent=2)`, which writes Hugging Face's config.json and
    /// index files, so a rewritten file differs from its original only where a value changed.
    var indentedText: String {
        var out = ""
        writeIndented(to: &out, depth: 0)
        return out
    }

    private func writeIndented(to out: inout String, depth: Int) {
        let inner = String(repeating: "  ", count: depth + 1)
        let closing = String(repeating: "  ", count: depth)
        switch self {
        case let .array(items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += (i > 0 ? ",\n" : "") + inner
                item.writeIndented(to: &out, depth: depth + 1)
            }
            out += "\n\(closing)]"
        case let .object(members) where !members.isEmpty:
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += (i > 0 ? ",\n" : "") + inner + JSON.string(member.key).serialized + ": "
                member.value.writeIndented(to: &out, depth: depth + 1)
            }
            out += "\n\(closing)}"
        default:
            out += serialized
        }
    }
}
