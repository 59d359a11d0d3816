import CZstd
import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// Fixtures/goldens/images, written by Scripts/oracle/make_image_goldens.py from Pillow and
/// transformers' PixtralImageProcessor (both backends).
struct ImageGoldens: Sendable {
    struct Decoded: Sendable, CustomTestStringConvertible {
        let file: String
        let width: Int
        let height: Int
        let sha256: String
        /// (x, y, r, g, b)
        let samples: [[Int]]
        var testDescription: String { file }
    }

    /// One image's expected `pixel_values` from one backend and configuration.
    struct Preprocessed: Sendable, CustomTestStringConvertible {
        let configuration: String
        let backend: String
        let longestEdge: Int
        let patchSize: Int
        let file: String
        /// (channels, height, width)
        let shape: [Int]
        let values: [Float]
        /// The backend's float for each byte value, channel by channel (3 × 256).
        let table: [Float]
        var testDescription: String { "\(configuration) \(backend) \(file)" }
    }

    static let folder = Fixtures.path("goldens/images")
    static let images = Fixtures.path("images")
    static let shared = try! ImageGoldens()

    let decoded: [Decoded]
    let preprocessed: [Preprocessed]

    init() throws {
        let manifest = try JSON.read(contentsOf: "\(Self.folder)/manifest.json")
        decoded = manifest["images"]!.arrayValue!.map { image in
            Decoded(file: image["file"]!.stringValue!, width: image["width"]!.intValue!, height: image["height"]!.intValue!,
                    sha256: image["sha256"]!.stringValue!,
                    samples: image["samples"]!.arrayValue!.map { $0.arrayValue!.map { $0.intValue! } })
        }
        let tableData = try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/tables.f32"))
        let tables = tableData.withUnsafeBytes { raw in (0..<raw.count / 4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) } }
        var preprocessed: [Preprocessed] = []
        for configuration in manifest["configurations"]!.arrayValue! {
            let files = configuration["images"]!.arrayValue!.map { $0.stringValue! }
            for (backend, entry) in configuration["backends"]!.objectMembers! {
                let indices = try Self.decompress("\(Self.folder)/\(entry["indices"]!.stringValue!)", size: entry["bytes"]!.intValue!)
                let tableIndex = entry["table"]!.intValue!
                let table = Array(tables[tableIndex * 768..<(tableIndex + 1) * 768])
                var offset = 0
                for (file, shape) in zip(files, entry["shapes"]!.arrayValue!) {
                    let shape = shape.arrayValue!.map { $0.intValue! }
                    let plane = shape[1] * shape[2]
                    let values = (0..<3 * plane).map { table[($0 / plane) * 256 + Int(indices[offset + $0])] }
                    offset += 3 * plane
                    preprocessed.append(Preprocessed(configuration: configuration["name"]!.stringValue!, backend: backend,
                                                     longestEdge: configuration["longest_edge"]!.intValue!,
                                                     patchSize: configuration["patch_size"]!.intValue!,
                                                     file: file, shape: shape, values: values, table: table))
                }
                precondition(offset == indices.count, "index file length does not match the manifest's shapes")
            }
        }
        self.preprocessed = preprocessed
    }

    private static func decompress(_ path: String, size: Int) throws -> [UInt8] {
        let frame = try Data(contentsOf: URL(fileURLWithPath: path))
        var bytes = [UInt8](repeating: 0, count: size)
        let written = frame.withUnsafeBytes { source in
            bytes.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, source.baseAddress, source.count) }
        }
        precondition(ZSTD_isError(written) == 0 && written == size, "\(path) does not decompress to \(size) bytes")
        return bytes
    }
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
