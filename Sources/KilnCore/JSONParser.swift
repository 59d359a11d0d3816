/// Why a JSON text was rejected, with the byte offset where parsing stopped.
public struct JSONError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let offset: Int
    public var description: String { "\(message) at byte \(offset)" }
}

extension JSON {
    /// Parses strict JSON (RFC 8259) from UTF-8 bytes.
    ///
    /// - Parameter rejectDuplicateKeys: throw on an object with a repeated key instead of keeping both.
    /// - Parameter maximumDepth: nesting limit, so hostile input cannot exhaust the stack.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, rejectDuplicateKeys: Bool = true, maximumDepth: Int = 256
    ) throws -> JSON {
        var parser = JSONParser(bytes: bytes, rejectDuplicateKeys: rejectDuplicateKeys, maximumDepth: maximumDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.offset == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    public static func parse(_ bytes: [UInt8], rejectDuplicateKeys: Bool = true) throws -> JSON {
        try bytes.withUnsafeBytes { (raw) throws in try parse(raw, rejectDuplicateKeys: rejectDuplicateKeys) }
    }

    public static func parse(_ text: String, rejectDuplicateKeys: Bool = true) throws -> JSON {
        try parse(Array(text.utf8), rejectDuplicateKeys: rejectDuplicateKeys)
    }
}

private struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let rejectDuplicateKeys: Bool
    let maximumDepth: Int
    var offset = 0
    var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, rejectDuplicateKeys: Bool, maximumDepth: Int) {
        self.bytes = bytes
        self.rejectDuplicateKeys = rejectDuplicateKeys
        self.maximumDepth = maximumDepth
    }

    func error(_ message: String) -> JSONError { JSONError(message: message, offset: offset) }

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 { offset += 1 }
    }

    mutating func expect(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - offset >= count else { throw error("unexpected end of JSON") }
        for i in 0..<count where bytes[offset + i] != literal.utf8Start[i] { throw error("invalid literal") }
        offset += count
    }

    mutating func parseValue(depth: Int) throws -> JSON {
        guard depth < maximumDepth else { throw error("JSON nested too deeply") }
        guard let c = current else { throw error("unexpected end of JSON") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func parseObject(depth: Int) throws -> JSON {
        offset += 1
        var members: [(key: String, value: JSON)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { offset += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = offset
            let key = try parseString()
            if rejectDuplicateKeys {
                guard seen.insert(key).inserted else {
                    throw JSONError(message: "duplicate key \"\(key)\"", offset: keyOffset)
                }
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
            offset += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .object(members)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(depth: Int) throws -> JSON {
        offset += 1
        var items: [JSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { offset += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(items)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    mutating func parseNumber() throws -> JSON {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        guard let first = current, isDigit(first) else { throw error("invalid number") }
        offset += 1
        if first != UInt8(ascii: "0") { while let c = current, isDigit(c) { offset += 1 } }
        if current == UInt8(ascii: ".") {
            offset += 1
            guard let c = current, isDigit(c) else { throw error("invalid number") }
            while let c = current, isDigit(c) { offset += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            offset += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            guard let c = current, isDigit(c) else { throw error("invalid number") }
            while let c = current, isDigit(c) { offset += 1 }
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
    }

    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    mutating func parseString() throws -> String {
        offset += 1
        let start = offset
        // Fast path: no escapes.
        while let c = current, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\"), c >= 0x20 { offset += 1 }
        if current == UInt8(ascii: "\"") {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
            offset += 1
            return try validated(raw, at: start)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while true {
            guard let c = current else { throw error("unterminated string") }
            guard c >= 0x20 else { throw error("control character in string") }
            offset += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { scratch.append(c); continue }
            guard let e = current else { throw error("unterminated string") }
            offset += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5c)
            case UInt8(ascii: "/"): scratch.append(0x2f)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0c)
            case UInt8(ascii: "n"): scratch.append(0x0a)
            case UInt8(ascii: "r"): scratch.append(0x0d)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xd800..<0xdc00).contains(scalar) {
                    guard current == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in string")
                    }
                    offset += 2
                    let low = try parseHex4()
                    guard (0xdc00..<0xe000).contains(low) else { throw error("unpaired surrogate in string") }
                    scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                } else if (0xdc00..<0xe000).contains(scalar) {
                    throw error("unpaired surrogate in string")
                }
                scratch.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: throw error("invalid escape in string")
            }
        }
        let bytes = scratch
        return try bytes.withUnsafeBytes { (raw) throws in try validated(raw, at: start) }
    }

    mutating func parseHex4() throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[offset]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    func validated(_ raw: UnsafeRawBufferPointer, at position: Int) throws -> String {
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw JSONError(message: "string is not valid UTF-8", offset: position)
        }
        return s
    }
}
