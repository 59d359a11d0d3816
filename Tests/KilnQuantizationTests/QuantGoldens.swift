import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// The golden vectors `Scripts/oracle/make_quant_goldens.py` recorded from llama.cpp's
/// `ggml_quantize_chunk` and `to_float` in `Fixtures/goldens/quant/`.
enum QuantGoldens {
    struct Result: CustomTestStringConvertible, Sendable {
        let type: GGMLType
        let caseName: String
        let rows: Int
        let rowLength: Int
        let input: String
        let imatrix: String?
        let output: String
        let dequant: String?
        var testDescription: String { "\(type) \(caseName)\(imatrix == nil ? "" : " imatrix")" }
    }

    static let folder = "\(Fixtures.goldens)/quant"

    /// Every recorded (type, case, imatrix?) combination, in manifest order.
    static let results: [Result] = {
        guard let data = FileManager.default.contents(atPath: "\(folder)/manifest.json"),
              let manifest = try? JSON.parse(Array(data)) else { return [] }
        return (manifest["results"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["type"]?.stringValue, let type = GGMLType(name: name),
                  let caseName = entry["case"]?.stringValue, let rows = entry["n_rows"]?.intValue,
                  let rowLength = entry["n_per_row"]?.intValue, let input = entry["input"]?.stringValue,
                  let output = entry["output"]?.stringValue else { return nil }
            return Result(type: type, caseName: caseName, rows: rows, rowLength: rowLength, input: input,
                          imatrix: entry["imatrix"]?.stringValue, output: output, dequant: entry["dequant"]?.stringValue)
        }
    }()

    /// The types `ggml_quantize_requires_imatrix` named when the goldens were recorded.
    static let typesRequiringImportance: Set<GGMLType> = {
        guard let data = FileManager.default.contents(atPath: "\(folder)/manifest.json"),
              let manifest = try? JSON.parse(Array(data)), let types = manifest["types"]?.objectMembers else { return [] }
        return Set(types.compactMap { name, entry in
            entry["requires_imatrix"]?.boolValue == true ? GGMLType(name: name) : nil
        })
    }()

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(relative)")))
    }

    static func floats(_ relative: String) throws -> [Float] {
        let raw = try bytes(relative)
        return (0..<raw.count / 4).map { i in
            Float(bitPattern: UInt32(raw[4 * i]) | UInt32(raw[4 * i + 1]) << 8 | UInt32(raw[4 * i + 2]) << 16 | UInt32(raw[4 * i + 3]) << 24)
        }
    }
}
