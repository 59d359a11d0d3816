extension StringProtocol {
    /// The text made safe to print in a one-line message: control characters (newlines, escape
    /// sequences that could repaint a terminal, NUL), line and paragraph separators and bidirectional
    /// overrides are written as `\u{…}` escapes, and text longer than `limit` characters keeps its
    /// start and end around an ellipsis that says how much was left out.
    public func escapedForMessage(limit: Int = 200) -> String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        guard out.count > limit, limit >= 20 else { return out }
        let keep = (limit - 16) / 2
        return "\(out.prefix(keep))…(\(out.count - 2 * keep) more)…\(out.suffix(keep))"
    }
}
