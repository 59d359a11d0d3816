import Foundation
import KilnCheckpoints
import KilnConversion
import KilnCore
import KilnQuantization
import KilnTestSupport

/// Goldens written by Scripts/oracle/make_runtime_goldens.py, and the GGUF files they were made
/// from, rebuilt here with Kiln's converter and quantizer (byte-identical to llama.cpp's).
enum RuntimeGoldens {
    static let folder = "\(Fixtures.goldens)/runtime"

    /// Goldens of the vision runtime (Scripts/oracle/make_vision_goldens.py).
    static let visionFolder = "\(Fixtures.goldens)/vision"

    static func json(_ name: String, in folder: String = folder) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))))
    }

    static func floats(_ name: String, in folder: String = folder) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
        return data.withUnsafeBytes { raw in (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }

    /// f16.gguf, q8_0.gguf and q4_k_m.gguf of the fixture, made once per test run.
    static let models: (folder: TemporaryDirectory, paths: [String: String]) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf")
        try! GGUFConversion.write(try! GGUFConversion.plan(try! CheckpointReader.open(Fixtures.tinyPixtral), outputType: .f16), to: f16, threads: 2)
        var paths = ["f16": f16]
        for (name, type) in [("q8_0", QuantizationFileType.q8_0), ("q4_k_m", .q4_K_M)] {
            let spec = try! CheckpointReader.open(f16)
            let plan = try! GGUFQuantization.plan(try! GGUFConversion.plan(spec, outputType: .auto), layerCount: spec.text.layerCount,
                                                  headCount: spec.text.headCount, headCountKV: spec.text.keyValueHeadCount,
                                                  request: QuantizationRequest(fileType: type), inputPath: f16)
            try! GGUFConversion.write(plan, to: folder.file("\(name).gguf"), threads: 2)
            paths[name] = folder.file("\(name).gguf")
        }
        return (folder, paths)
    }()
}
