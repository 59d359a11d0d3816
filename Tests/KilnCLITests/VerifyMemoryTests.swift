import Foundation
import KilnTestSupport
import Testing

/// `kiln verify` streams the reference cache and the KL-divergence pass: with a 131,072-token
/// vocabulary (Mistral's), six times more text must not raise its peak memory by more than a small
/// part of what the extra reference log-probabilities take (20 chunks × 63 positions × 256 KiB =
/// 315 MiB), so a long text needs no more memory than a short one.
@Suite(.serialized) struct VerifyMemoryTests {
    /// kiln verify's peak resident memory in KiB, measured by GNU time.
    func peakMemory(model: String, chunks: Int, in folder: TemporaryDirectory) throws -> Int {
        let result = try KilnProcess.run(executable: "/usr/bin/time", [
            "-f", "peak-kib %M", Fixtures.kilnExecutable, "verify", "--reference", model, "--candidate", model,
            "--file", Fixtures.path("text/eval.txt"), "--ctx", "128", "--chunks", "\(chunks)", "--threads", "2",
            "--reference-cache", folder.file("reference-\(chunks).kref"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-kib ") })
        return try #require(Int(line.dropFirst("peak-kib ".count)))
    }

    @Test func peakMemoryDoesNotGrowWithTheText() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticCheckpoint.write(to: model, layers: 1, width: 128, hidden: 256, vocabulary: 131_072)
        let short = try peakMemory(model: model, chunks: 4, in: folder)
        let long = try peakMemory(model: model, chunks: 24, in: folder)
        #expect(long - short < 48 << 10, "peak \(short >> 10) MiB over 4 chunks, \(long >> 10) MiB over 24")
    }
}
