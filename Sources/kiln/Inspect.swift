import ArgumentParser
import Foundation
import KilnCheckpoints
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnSafeTensors

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a GGUF file, a safetensors file or a model folder.",
        discussion: """
        Prints architecture, file type, layers, heads, parameter count, size, bits per weight, the type \
        histogram and metadata (arrays with their first elements); --tensors adds every tensor, --json \
        prints one JSON object instead. GGUF shapes are in ggml order, row length first (ne0, ne1, …), \
        as gguf-dump prints them; safetensors shapes in PyTorch order, outermost first.

        Examples:
          kiln inspect model-Q4_K_M.gguf
          kiln inspect model-Q4_K_M.gguf --tensors
          kiln inspect Mistral-7B-v0.1 --json | jq .parameters
        """
    )

    @Argument(help: "A .gguf file, a .safetensors file or a model folder.")
    var path: String

    @Flag(help: "List every tensor.")
    var tensors = false

    @Flag(help: "Print one JSON object (for machines).")
    var json = false

    func run() throws {
        let report = try Inspection(path: path)
        if json {
            print(report.json(includeTensors: tensors).serialized)
        } else {
            print(report.text(includeTensors: tensors), terminator: "")
        }
    }
}

/// What `kiln inspect` reports, gathered from any of the three inputs.
struct Inspection {
    struct Tensor {
        let name: String
        let type: String
        /// In the file's own order (``shapeOrder``).
        let shape: [Int]
        let bytes: Int
    }

    var path: String
    var format: String
    var architecture: String?
    /// The file type: `general.file_type` of a GGUF by llama-quantize's name, else the most common tensor type.
    var fileType: String?
    /// `ggml` (row length first, as gguf-dump) for GGUF files, `row-major` (outermost first) otherwise.
    var shapeOrder = "row-major"
    var parameters: [(String, JSON)] = []
    var fileSize = 0
    var metadata: [(key: String, type: String, value: JSON)] = []
    var tensorList: [Tensor] = []

    init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FileError(.open, path: path, errno: ENOENT)
        }
        if isFolder.boolValue {
            format = "model folder"
            try readFolder()
        } else if path.hasSuffix(".safetensors") {
            format = "safetensors"
            try readSafeTensors()
        } else {
            format = "GGUF"
            try readGGUF()
        }
        if fileType == nil { fileType = typeHistogram.first?.0 }
    }

    var parameterCount: Int { tensorList.reduce(0) { $0 + $1.shape.reduce(1, *) } }
    var tensorBytes: Int { tensorList.reduce(0) { $0 + $1.bytes } }
    var bitsPerWeight: Double { parameterCount > 0 ? Double(tensorBytes * 8) / Double(parameterCount) : 0 }

    var typeHistogram: [(String, Int)] {
        var counts: [String: Int] = [:]
        for tensor in tensorList { counts[tensor.type, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }

    private mutating func readGGUF() throws {
        let file = try GGUFFile(path: path)
        format = "GGUF v\(file.version)"
        fileSize = file.mapping.count
        architecture = file.architecture
        shapeOrder = "ggml"
        if let id = file.metadata[GGUFKey.General.fileType]?.intValue {
            fileType = QuantizationFileType(llamaFileType: id)?.rawValue ?? "type \(id)"
        }
        let arch = file.architecture ?? ""
        for (label, key) in [("layers", "block_count"), ("heads", "attention.head_count"), ("kv_heads", "attention.head_count_kv"),
                             ("embedding", "embedding_length"), ("feed_forward", "feed_forward_length"), ("context", "context_length")] {
            if let v = file.metadata["\(arch).\(key)"]?.intValue { parameters.append((label, .number(String(v)))) }
        }
        for (key, value) in file.metadata {
            metadata.append((key, Inspection.typeName(value), Inspection.json(value)))
        }
        tensorList = file.tensors.map { Tensor(name: $0.name, type: $0.type.name, shape: $0.dimensions, bytes: $0.byteCount) }
    }

    private mutating func readSafeTensors() throws {
        let file = try SafeTensorsFile(path: path)
        fileSize = file.mapping.count
        metadata = file.metadata.map { ($0.key, "str", .string($0.value)) }
        tensorList = file.tensors.map { Tensor(name: $0.name, type: $0.dtype.rawValue, shape: $0.shape, bytes: $0.byteRange.count) }
    }

    private mutating func readFolder() throws {
        let spec = try CheckpointReader.open(path)
        format = "model folder (\(spec.layout))"
        architecture = spec.architecture
        let p = spec.text
        parameters = [
            ("layers", .number(String(p.layerCount))), ("heads", .number(String(p.headCount))),
            ("kv_heads", .number(String(p.keyValueHeadCount))), ("head_dim", .number(String(p.headDimension))),
            ("embedding", .number(String(p.hiddenSize))), ("feed_forward", .number(String(p.intermediateSize))),
            ("vocab", .number(String(p.vocabularySize))), ("context", p.contextLength.map { .number(String($0)) } ?? .null),
            ("rope_theta", .number(String(p.ropeTheta))), ("tied_embeddings", .bool(p.tiedEmbeddings)),
        ]
        if let v = spec.vision {
            parameters.append(("vision", .string("\(v.layerCount) layers, hidden \(v.hiddenSize), \(v.headCount) heads, \(v.imageSize)px/\(v.patchSize)")))
        }
        let files = Set(spec.tensors.compactMap { tensor -> String? in
            if case let .mapped(file, _) = tensor.source { return file.path }
            return nil
        })
        fileSize = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        tensorList = spec.tensors.map { Tensor(name: $0.name, type: $0.encoding.description, shape: $0.shape, bytes: $0.byteCount) }
    }

    /// Elements of a metadata array shown by `inspect`.
    static let previewLength = 8

    static func typeName(_ value: GGUFValue) -> String {
        if case let .array(a) = value { return "[\(a.elementType.name)]" }
        return value.type.name
    }

    static func json(_ value: GGUFValue) -> JSON {
        switch value {
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .float32(f): return .number(String(f))
        case let .float64(f): return .number(String(f))
        case let .array(a):
            return .object([("element_type", .string(a.elementType.name)), ("count", .integer(a.count)),
                            ("preview", .array(a.prefix(previewLength).map(json)))])
        default: return .number(String(value.intValue ?? 0))
        }
    }

    func json(includeTensors: Bool) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("path", .string(path)), ("format", .string(format)),
            ("architecture", architecture.map(JSON.string) ?? .null), ("file_type", fileType.map(JSON.string) ?? .null),
        ]
        members += parameters.map { ($0.0, $0.1) }
        members += [
            ("parameters", .number(String(parameterCount))), ("file_size", .number(String(fileSize))),
            ("tensor_bytes", .number(String(tensorBytes))), ("bits_per_weight", .number(String(format: "%.4f", bitsPerWeight))),
            ("tensor_count", .number(String(tensorList.count))),
            ("types", .object(typeHistogram.map { ($0.0, .integer($0.1)) })),
            ("metadata", .object(metadata.map { ($0.key, $0.value) })),
            ("shape_order", .string(shapeOrder)),
        ]
        if includeTensors {
            members.append(("tensors", .array(tensorList.map {
                .object([("name", .string($0.name)), ("type", .string($0.type)),
                         ("shape", .array($0.shape.map { .number(String($0)) })), ("bytes", .number(String($0.bytes)))])
            })))
        }
        return .object(members)
    }

    func text(includeTensors: Bool) -> String {
        func row(_ label: String, _ value: String) -> String {
            "  " + Terminal.padded(label + ":", 16) + " " + value + "\n"
        }
        var out = "\(path)\n" + row("format", format)
        if let architecture { out += row("architecture", architecture) }
        if let fileType { out += row("file type", fileType) }
        for (label, value) in parameters { out += row(label, Inspection.plain(value)) }
        out += row("parameters", "\(Terminal.count(parameterCount)) (\(parameterCount))")
        out += row("size", "\(Terminal.byteCount(fileSize)) on disk, \(Terminal.byteCount(tensorBytes)) of tensors")
        out += row("bits/weight", String(format: "%.2f", bitsPerWeight))
        out += row("types", typeHistogram.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
        if !metadata.isEmpty {
            out += "  metadata (\(metadata.count)):\n"
            for entry in metadata {
                var shown = Inspection.plain(entry.value)
                // Long values (chat templates) are cut and say so; names never are, and arrays are previewed.
                if entry.value.isArrayPreview {
                    shown = Inspection.arrayPreview(entry.value, width: 80)
                } else if shown.count > 100 {
                    shown = String(shown.prefix(80)) + "… (\(shown.count) characters)"
                }
                out += "    \(entry.key) [\(entry.type)] = \(shown)\n"
            }
        }
        if includeTensors {
            let order = shapeOrder == "ggml" ? "ggml order, ne0 (row length) first, as gguf-dump" : "row-major, outermost first"
            out += "  tensors (\(tensorList.count); shapes in \(order)):\n"
            let nameWidth = tensorList.map(\.name.count).max() ?? 0
            let typeWidth = tensorList.map(\.type.count).max() ?? 0
            let shapes = tensorList.map { "[" + $0.shape.map(String.init).joined(separator: ", ") + "]" }
            let shapeWidth = shapes.map(\.count).max() ?? 0
            for (t, shape) in zip(tensorList, shapes) {
                out += "    \(Terminal.padded(t.name, nameWidth))  \(Terminal.padded(t.type, typeWidth))  \(Terminal.padded(shape, shapeWidth))  \(Terminal.byteCount(t.bytes))\n"
            }
        } else {
            out += row("tensors", "\(tensorList.count) (list them with --tensors)")
        }
        return out
    }

    static func plain(_ value: JSON) -> String {
        switch value {
        case let .string(s): s.replacingOccurrences(of: "\n", with: "\\n")
        case _ where value.isArrayPreview: arrayPreview(value, width: .max)
        default: value.serialized
        }
    }

    /// `["<unk>", "<s>", …] (1024 str)`: the first elements that fit in about `width` characters, and the count.
    static func arrayPreview(_ value: JSON, width: Int) -> String {
        let count = value["count"]?.intValue ?? 0
        var shown: [String] = []
        var length = 0
        for element in value["preview"]?.arrayValue ?? [] {
            let text = element.serialized.escapedForMessage(limit: 40)
            guard shown.isEmpty || length + text.count + 2 <= width else { break }
            shown.append(text)
            length += text.count + 2
        }
        return "[" + shown.joined(separator: ", ") + (count > shown.count ? ", …" : "") + "] (\(count) \(value["element_type"]?.stringValue ?? ""))"
    }
}

extension JSON {
    /// Whether this is `inspect`'s description of a GGUF array (element type, count, first elements).
    var isArrayPreview: Bool { objectMembers?.first?.key == "element_type" }
}
