import Foundation
import KilnSafeTensors
import KilnTestSupport
import Testing

@Suite struct SafeTensorsWriterTests {
    @Test func roundTripsTensorsWrittenInPieces() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("out.safetensors")
        let writer = try SafeTensorsWriter(path: path, tensors: [
            .init(name: "w", dtype: .bf16, shape: [2, 3]),
            .init(name: "empty", dtype: .f32, shape: [0]),
            .init(name: "n", dtype: .u8, shape: [5]),
        ])
        let w: [UInt8] = Array(0..<12)
        try w.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<5])); try writer.write(UnsafeRawBufferPointer(rebasing: $0[5...])) }
        try [UInt8](repeating: 7, count: 5).withUnsafeBytes { try writer.write($0) }
        #expect(folder.contents.count == 1 && folder.contents[0].hasPrefix("."), "only the hidden temporary file exists before finish")
        try writer.finish()
        #expect(folder.contents == ["out.safetensors"])

        let file = try SafeTensorsFile(path: path)
        #expect(file.tensors.map(\.name) == ["w", "empty", "n"])
        #expect(Array(file.bytes(of: file.tensor(named: "w")!)) == w)
        #expect(Array(file.bytes(of: file.tensor(named: "n")!)) == [7, 7, 7, 7, 7])
        #expect(file.metadata.first?.value == "pt")
        // The data buffer starts 8-byte aligned, as the reference writer leaves it.
        #expect(file.tensor(named: "w")!.byteRange.lowerBound % 8 == 0)
    }

    @Test func leavesNothingBehindWhenNotFinished() throws {
        let folder = TemporaryDirectory()
        do {
            let writer = try SafeTensorsWriter(path: folder.file("out.safetensors"), tensors: [.init(name: "w", dtype: .f32, shape: [4])])
            try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try writer.write($0) }
        }
        #expect(folder.contents.isEmpty)
    }
}
