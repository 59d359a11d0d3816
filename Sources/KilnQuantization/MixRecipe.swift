import KilnCore
import KilnGGUF

/// A chosen quantization mix: a base file type (`general.file_type` and the type of anything the
/// recipe does not name) and one type per tensor. Applied as llama-quantize's `--tensor-type`
/// overrides, one exact pattern per tensor, so the same recipe gives the same bytes in Kiln and the
/// same types in `llama-quantize` (``llamaQuantizeArguments``).
public struct MixRecipe: Sendable {
    public static let format = 1
    /// The calibration text, chunk length and chunk count of an importance matrix computed on the fly
    /// (the text's file name, or the built-in text's name); nil when the matrix came from a file.
    public struct Calibration: Sendable, Equatable {
        public var text: String
        public var context: Int
        public var chunks: Int

        public init(text: String, context: Int, chunks: Int) {
            self.text = text
            self.context = context
            self.chunks = chunks
        }
    }

    public var baseType: QuantizationFileType
    public var tensors: [(name: String, type: GGMLType)]
    public var imatrixCalibration: Calibration?

    public init(baseType: QuantizationFileType, tensors: [(name: String, type: GGMLType)], imatrixCalibration: Calibration? = nil) {
        self.baseType = baseType
        self.tensors = tensors
        self.imatrixCalibration = imatrixCalibration
    }

    /// The recipe as written to files and to the GGUF key: only what decides the bytes.
    public var json: JSON {
        .object([("kiln_recipe", .number("\(Self.format)")), ("base_type", .string(baseType.rawValue))]
            + (imatrixCalibration.map { [("imatrix_calibration", .object([("text", .string($0.text)), ("ctx", .number("\($0.context)")), ("chunks", .number("\($0.chunks)"))]))] } ?? [])
            + [("tensors", .object(tensors.map { ($0.name, .string($0.type.name)) }))])
    }

    /// Reads `base_type` and `tensors` of a recipe file (other members, such as measurements, are
    /// ignored). Names must be GGUF tensor names; types ones Kiln writes.
    public init(json: JSON, path: String) throws {
        func fail(_ message: String) -> QuantizationError { QuantizationError(path: path, message) }
        guard json["kiln_recipe"]?.intValue == Self.format else { throw fail("is not a Kiln recipe (kiln_recipe must be \(Self.format))") }
        guard let name = json["base_type"]?.stringValue, let base = QuantizationFileType(name: name) else {
            throw fail("base_type must be one of \(QuantizationFileType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let members = json["tensors"]?.objectMembers, members.count <= 1 << 20 else { throw fail("tensors must be an object of at most 2^20 names") }
        var seen = Set<String>()
        tensors = try members.map { member in
            let allowed = member.key.utf8.allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || (48...57).contains($0) || (97...122).contains($0) }
            guard allowed, (1..<GGUF.maximumNameLength).contains(member.key.utf8.count), seen.insert(member.key).inserted else {
                throw fail("tensor name \"\(member.key)\" is not a GGUF tensor name (lowercase letters, digits, '.' and '_'), or is repeated")
            }
            guard let typeName = member.value.stringValue, let type = GGMLType(name: typeName), BlockCodecs.codec(for: type) != nil else {
                throw fail("\(member.key): \(member.value.serialized) is not a type Kiln writes")
            }
            return (member.key, type)
        }
        baseType = base
        if let calibration = json["imatrix_calibration"] {
            guard let text = calibration["text"]?.stringValue, let context = calibration["ctx"]?.intValue, (16...(1 << 20)).contains(context),
                  let chunks = calibration["chunks"]?.intValue, (1...(1 << 20)).contains(chunks)
            else {
                throw fail("imatrix_calibration must hold a text name, a ctx between 16 and 2^20 and a chunk count between 1 and 2^20")
            }
            imatrixCalibration = Calibration(text: text, context: context, chunks: chunks)
        }
    }

    public init(path: String) throws {
        try self.init(json: try JSON.read(contentsOf: path), path: path)
    }

    /// The overrides that give each named tensor its type (exact, anchored patterns).
    public var tensorTypes: [(pattern: String, type: GGMLType)] {
        tensors.map { ("^" + $0.name.replacingOccurrences(of: ".", with: "\\.") + "$", $0.type) }
    }

    /// The same mix for llama-quantize: `--tensor-type` per tensor, then the base type.
    public var llamaQuantizeArguments: [String] {
        tensorTypes.flatMap { ["--tensor-type", "\($0.pattern)=\($0.type.name.lowercased())"] }
    }
}
