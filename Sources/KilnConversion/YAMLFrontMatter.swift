/// The block-style YAML that model-card front matter is written in, parsed into nodes: block
/// mappings and sequences, plain, quoted and block (`|`, `>`) scalars, and flow collections
/// (`[a, b]`, `{k: v}`, also across lines). Anchors, aliases, tags and directives are refused rather
/// than guessed: no model card needs them, and a guess would write wrong metadata.
///
/// Everything is bounded (the caller caps the text; nesting is capped here), so a hostile card
/// cannot make the parser recurse or loop without end.
struct YAMLFrontMatter {
    indirect enum Node: Equatable, Sendable {
        /// A scalar's text; `plain` scalars may stand for null (`~`, `null`, nothing).
        case scalar(String, plain: Bool)
        case sequence([Node])
        case mapping([Member])

        /// The scalar's text, or nil for a null, a sequence or a mapping. Numbers, booleans and
        /// dates stay text: PyYAML would type them, and llama.cpp's converter then fails on them.
        var text: String? {
            guard case .scalar(let text, let plain) = self else { return nil }
            return plain && ["", "~", "null", "Null", "NULL"].contains(text) ? nil : text
        }

        var members: [Member]? {
            if case .mapping(let members) = self { return members }
            return nil
        }

        /// The value of `key` in a mapping (the last one, as PyYAML keeps it).
        subscript(key: String) -> Node? { members?.last { $0.key == key }?.value }
    }

    struct Member: Equatable, Sendable {
        let key: String
        let value: Node
    }

    struct SyntaxError: Error, Equatable {
        /// 1-based, counted from the first line of the front matter.
        let line: Int
        let message: String
    }

    static let maximumDepth = 64

    /// Parses a whole document; an empty one is an empty mapping.
    static func parse(_ text: String) throws -> Node {
        var parser = YAMLFrontMatter(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        guard let start = parser.nextContentLine(from: 0) else { return .mapping([]) }
        let node = try parser.block(indent: parser.indentation(of: start), depth: 0)
        if let extra = parser.nextContentLine(from: parser.position) {
            throw SyntaxError(line: extra + 1, message: "unexpected indentation or content")
        }
        return node
    }

    private var lines: [String]
    private var position = 0

    private init(lines: [String]) { self.lines = lines }

    // MARK: Lines

    private func indentation(of line: Int) -> Int { lines[line].prefix { $0 == " " }.count }

    private func content(of line: Int) -> Substring { lines[line].drop { $0 == " " } }

    private func isBlank(_ line: Int) -> Bool {
        let c = content(of: line)
        return c.isEmpty || c.first == "#" || c.allSatisfy(\.isWhitespace)
    }

    private func nextContentLine(from start: Int) -> Int? {
        var i = start
        while i < lines.count {
            if !isBlank(i) { return i }
            i += 1
        }
        return nil
    }

    private static func isSequenceEntry(_ content: Substring) -> Bool { content == "-" || content.hasPrefix("- ") }

    // MARK: Block structure

    /// The node whose first line is the next content line, at exactly `indent`.
    private mutating func block(indent: Int, depth: Int) throws -> Node {
        guard depth < Self.maximumDepth else { throw SyntaxError(line: position + 1, message: "nested deeper than \(Self.maximumDepth) levels") }
        guard let line = nextContentLine(from: position) else { return .scalar("", plain: true) }
        let c = content(of: line)
        if Self.isSequenceEntry(c) { return try sequence(indent: indent, depth: depth) }
        if try Self.splitKey(c, line: line) != nil { return try mapping(indent: indent, depth: depth) }
        position = line + 1
        return try inlineValue(String(c), line: line, parentIndent: indent - 1, depth: depth)
    }

    private mutating func mapping(indent: Int, depth: Int) throws -> Node {
        var members: [Member] = []
        while let line = nextContentLine(from: position), indentation(of: line) >= indent {
            guard indentation(of: line) == indent else { throw SyntaxError(line: line + 1, message: "unexpected indentation") }
            let c = content(of: line)
            if Self.isSequenceEntry(c) && !members.isEmpty { break }  // a sequence at the key's indent belongs to the key before
            guard let (key, rest) = try Self.splitKey(c, line: line) else {
                throw SyntaxError(line: line + 1, message: "expected \"key: value\"")
            }
            position = line + 1
            let value = try mappingValue(rest, line: line, indent: indent, depth: depth + 1)
            members.removeAll { $0.key == key }
            members.append(Member(key: key, value: value))
        }
        return .mapping(members)
    }

    /// A mapping value: inline, a block below, or a sequence at the key's own indent.
    private mutating func mappingValue(_ rest: Substring, line: Int, indent: Int, depth: Int) throws -> Node {
        let inline = Self.withoutComment(rest)
        if !inline.isEmpty { return try inlineValue(inline, line: line, parentIndent: indent, depth: depth) }
        guard let next = nextContentLine(from: position) else { return .scalar("", plain: true) }
        if indentation(of: next) > indent { return try block(indent: indentation(of: next), depth: depth) }
        if indentation(of: next) == indent, Self.isSequenceEntry(content(of: next)) { return try sequence(indent: indent, depth: depth) }
        return .scalar("", plain: true)
    }

    private mutating func sequence(indent: Int, depth: Int) throws -> Node {
        var items: [Node] = []
        while let line = nextContentLine(from: position), indentation(of: line) == indent, Self.isSequenceEntry(content(of: line)) {
            let rest = content(of: line).dropFirst().drop { $0 == " " }
            if rest.isEmpty || rest.first == "#" {
                position = line + 1
                guard let next = nextContentLine(from: position), indentation(of: next) > indent else {
                    items.append(.scalar("", plain: true))
                    continue
                }
                items.append(try block(indent: indentation(of: next), depth: depth + 1))
                continue
            }
            let column = lines[line].count - rest.count
            let startsBlock = try Self.isSequenceEntry(rest) || Self.splitKey(rest, line: line) != nil
            if startsBlock {
                // "- key: v" and "- - v": the entry is a block starting at its content's column.
                lines[line] = String(repeating: " ", count: column) + rest
                position = line
                items.append(try block(indent: column, depth: depth + 1))
            } else {
                position = line + 1
                items.append(try inlineValue(String(rest), line: line, parentIndent: indent, depth: depth + 1))
            }
        }
        return .sequence(items)
    }

    // MARK: Scalars and flow collections

    /// A value that starts on `line` after a key or dash; `position` is the line after it.
    private mutating func inlineValue(_ text: String, line: Int, parentIndent: Int, depth: Int) throws -> Node {
        guard let first = text.first else { return .scalar("", plain: true) }
        switch first {
        case "&", "*", "!", "%", "@", "`", "?":
            throw SyntaxError(line: line + 1, message: "YAML '\(first)' (anchors, aliases, tags, complex keys) is not supported in a model card")
        case "|", ">":
            return try blockScalar(header: text, line: line, parentIndent: parentIndent)
        case "[", "{":
            var joined = text
            var last = line
            while !Self.flowIsClosed(joined) {
                guard last + 1 < lines.count else { throw SyntaxError(line: line + 1, message: "unclosed '\(first)'") }
                last += 1
                joined += " " + content(of: last)
            }
            position = max(position, last + 1)
            var flow = FlowParser(text: Array(joined), line: line + 1)
            let node = try flow.node(depth: depth)
            try flow.expectEnd()
            return node
        case "\"", "'":
            var joined = text
            var last = line
            while Self.quotedEnd(Array(joined)) == nil {
                guard last + 1 < lines.count else { throw SyntaxError(line: line + 1, message: "unclosed quote") }
                last += 1
                joined += " " + content(of: last).trimmingTrailingSpaces()
            }
            position = max(position, last + 1)
            var flow = FlowParser(text: Array(joined), line: line + 1)
            let node = try flow.quoted()
            try flow.expectEnd()
            return node
        default:
            var words = [Self.withoutComment(Substring(text))]
            if words[0].contains(": ") || words[0].hasSuffix(":") {
                throw SyntaxError(line: line + 1, message: "a mapping is not allowed here")
            }
            // A plain scalar goes on over more-indented lines, folded with spaces.
            while let next = nextContentLine(from: position), indentation(of: next) > parentIndent,
                  !Self.isSequenceEntry(content(of: next)), try Self.splitKey(content(of: next), line: next) == nil {
                words.append(Self.withoutComment(content(of: next)))
                position = next + 1
            }
            return .scalar(words.joined(separator: " "), plain: true)
        }
    }

    /// `|` keeps line breaks, `>` folds them; `-` strips the final break, `+` keeps trailing ones.
    private mutating func blockScalar(header: String, line: Int, parentIndent: Int) throws -> Node {
        let literal = header.first == "|"
        var chomp: Character = " "
        var explicitIndent: Int?
        for ch in Self.withoutComment(Substring(header)).dropFirst() {
            if ch == "-" || ch == "+" { chomp = ch } else if let d = ch.wholeNumberValue, d > 0 { explicitIndent = d } else {
                throw SyntaxError(line: line + 1, message: "bad block scalar header '\(header)'")
            }
        }
        var body: [String] = []
        var blockIndent = explicitIndent.map { parentIndent + $0 }
        var i = position
        while i < lines.count {
            let isEmpty = lines[i].allSatisfy { $0 == " " }
            if isEmpty {
                body.append("")
            } else {
                let n = indentation(of: i)
                if blockIndent == nil { blockIndent = n }
                guard n >= blockIndent!, n > parentIndent else { break }
                body.append(String(lines[i].dropFirst(blockIndent!)))
            }
            i += 1
        }
        position = i
        var trailing = 0
        while body.last == "" {
            body.removeLast()
            trailing += 1
        }
        var text = literal ? body.joined(separator: "\n") : Self.folded(body)
        if !body.isEmpty {
            switch chomp {
            case "-": break
            case "+": text += String(repeating: "\n", count: trailing + 1)
            default: text += "\n"
            }
        }
        return .scalar(text, plain: false)
    }

    /// YAML folding: a break between two normal lines becomes a space; empty lines and
    /// more-indented lines keep their breaks.
    private static func folded(_ lines: [String]) -> String {
        var out = ""
        var previousWasNormal: Bool?
        var empties = 0
        for line in lines {
            if line.isEmpty {
                empties += 1
                continue
            }
            let normal = line.first != " " && line.first != "\t"
            switch previousWasNormal {
            case nil: out += String(repeating: "\n", count: empties)
            case true? where normal: out += empties == 0 ? " " : String(repeating: "\n", count: empties)
            default: out += String(repeating: "\n", count: empties + 1)
            }
            out += line
            previousWasNormal = normal
            empties = 0
        }
        return out
    }

    // MARK: Lexical helpers

    /// `key: rest` for a mapping entry line, or nil when the line is not one.
    static func splitKey(_ content: Substring, line: Int) throws -> (String, Substring)? {
        if isSequenceEntry(content) { return nil }
        guard let first = content.first, !"[{#&*!|>%@`?".contains(first) else { return nil }
        if first == "\"" || first == "'" {
            let chars = Array(content)
            guard let end = quotedEnd(chars) else { return nil }
            let after = content.dropFirst(end).drop { $0 == " " }
            guard after.first == ":", after.count == 1 || after.dropFirst().first == " " else { return nil }
            var flow = FlowParser(text: Array(chars[..<end]), line: line + 1)
            return (try flow.quoted().text ?? "", after.dropFirst())
        }
        var index = content.startIndex
        while let colon = content[index...].firstIndex(of: ":") {
            let next = content.index(after: colon)
            if next == content.endIndex || content[next] == " " {
                let key = content[..<colon]
                if key.contains(" #") { return nil }
                return (String(key.trimmingTrailingSpaces()), content[next...])
            }
            index = next
        }
        return nil
    }

    /// Text before a ` #` comment (a `#` at the start is one too), trailing spaces removed; quotes
    /// are the flow parser's business, so this is for plain text only.
    static func withoutComment(_ text: Substring) -> String {
        let trimmed = text.drop { $0 == " " }
        if trimmed.first == "#" { return "" }
        if trimmed.first == "\"" || trimmed.first == "'" || trimmed.first == "[" || trimmed.first == "{" { return trimmed.trimmingTrailingSpaces() }
        var previous: Character = " "
        for i in trimmed.indices {
            if trimmed[i] == "#" && previous == " " { return trimmed[..<i].trimmingTrailingSpaces() }
            previous = trimmed[i]
        }
        return trimmed.trimmingTrailingSpaces()
    }

    /// The index just past the closing quote of a quoted scalar starting at 0, or nil if unclosed.
    static func quotedEnd(_ chars: [Character]) -> Int? {
        guard let quote = chars.first else { return nil }
        var i = 1
        while i < chars.count {
            if quote == "\"" && chars[i] == "\\" {
                i += 2
                continue
            }
            if chars[i] == quote {
                if quote == "'" && i + 1 < chars.count && chars[i + 1] == "'" {
                    i += 2
                    continue
                }
                return i + 1
            }
            i += 1
        }
        return nil
    }

    /// Whether every bracket opened in `text` (outside quotes) is closed.
    static func flowIsClosed(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        var escaped = false
        for ch in text {
            if let q = quote {
                if escaped { escaped = false } else if ch == "\\" && q == "\"" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": quote = ch
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            default: break
            }
        }
        return depth <= 0 && quote == nil
    }
}

/// Flow collections and quoted scalars on one (joined) line.
private struct FlowParser {
    let text: [Character]
    let line: Int
    var i = 0

    init(text: [Character], line: Int) {
        self.text = text
        self.line = line
    }

    private func error(_ message: String) -> YAMLFrontMatter.SyntaxError { .init(line: line, message: message) }

    private mutating func skipSpaces() { while i < text.count && text[i] == " " { i += 1 } }

    mutating func expectEnd() throws {
        skipSpaces()
        if i < text.count && text[i] != "#" { throw error("unexpected text after the value") }
    }

    mutating func node(depth: Int) throws -> YAMLFrontMatter.Node {
        guard depth < YAMLFrontMatter.maximumDepth else { throw error("nested deeper than \(YAMLFrontMatter.maximumDepth) levels") }
        skipSpaces()
        guard i < text.count else { return .scalar("", plain: true) }
        switch text[i] {
        case "[":
            i += 1
            var items: [YAMLFrontMatter.Node] = []
            while true {
                skipSpaces()
                guard i < text.count else { throw error("unclosed '['") }
                if text[i] == "]" { i += 1; return .sequence(items) }
                items.append(try node(depth: depth + 1))
                skipSpaces()
                guard i < text.count else { throw error("unclosed '['") }
                if text[i] == "," { i += 1 } else if text[i] != "]" { throw error("expected ',' or ']'") }
            }
        case "{":
            i += 1
            var members: [YAMLFrontMatter.Member] = []
            while true {
                skipSpaces()
                guard i < text.count else { throw error("unclosed '{'") }
                if text[i] == "}" { i += 1; return .mapping(members) }
                let key = try scalar(stoppingAtColon: true).text ?? ""
                skipSpaces()
                var value = YAMLFrontMatter.Node.scalar("", plain: true)
                if i < text.count && text[i] == ":" {
                    i += 1
                    value = try node(depth: depth + 1)
                }
                members.removeAll { $0.key == key }
                members.append(.init(key: key, value: value))
                skipSpaces()
                guard i < text.count else { throw error("unclosed '{'") }
                if text[i] == "," { i += 1 } else if text[i] != "}" { throw error("expected ',' or '}'") }
            }
        default:
            return try scalar(stoppingAtColon: false)
        }
    }

    private mutating func scalar(stoppingAtColon: Bool) throws -> YAMLFrontMatter.Node {
        skipSpaces()
        if i < text.count && (text[i] == "\"" || text[i] == "'") { return try quoted() }
        if i < text.count && "&*!|>%@`?".contains(text[i]) {
            throw error("YAML '\(text[i])' (anchors, aliases, tags, complex keys) is not supported in a model card")
        }
        let start = i
        while i < text.count, !",[]{}".contains(text[i]) {
            if text[i] == ":" && (i + 1 == text.count || " ,]}".contains(text[i + 1])) && stoppingAtColon { break }
            if text[i] == "#" && i > start && text[i - 1] == " " { break }
            i += 1
        }
        return .scalar(String(text[start..<i]).trimmingTrailingSpaces(), plain: true)
    }

    /// A double-quoted (with escapes) or single-quoted (`''` for a quote) scalar at `i`.
    mutating func quoted() throws -> YAMLFrontMatter.Node {
        let quote = text[i]
        i += 1
        var out = ""
        while i < text.count {
            let ch = text[i]
            i += 1
            if ch == quote {
                if quote == "'" && i < text.count && text[i] == "'" {
                    out.append("'")
                    i += 1
                    continue
                }
                return .scalar(out, plain: false)
            }
            guard quote == "\"" && ch == "\\" else {
                out.append(ch)
                continue
            }
            guard i < text.count else { break }
            let e = text[i]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case " ", "\"", "\\", "/": out.append(e)
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                guard i + width <= text.count, let code = UInt32(String(text[i..<(i + width)]), radix: 16),
                      let scalar = Unicode.Scalar(code) else { throw error("bad \\\(e) escape") }
                out.unicodeScalars.append(scalar)
                i += width
            default: throw error("unknown escape \\\(e)")
            }
        }
        throw error("unclosed quote")
    }
}

extension StringProtocol {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " { s = s.dropLast() }
        return String(s)
    }
}
