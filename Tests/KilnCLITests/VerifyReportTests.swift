import Foundation
import KilnImages
import KilnTestSupport
import Testing

/// `kiln verify --report` as a person reads it: a verdict badge (green PASS, red FAIL), every threshold,
/// the inputs and perplexities, labelled axes, the limit on the KL-divergence chart, and the weight
/// errors on one fixed scale, so a Q2_K report shows longer bars than a Q8_0 one. The same drawing as
/// SVG and as PNG.
@Suite(.serialized) struct VerifyReportTests {
    static let files: (folder: TemporaryDirectory, f16: String, q8: String, q2: String) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16])
        _ = try! KilnProcess.run(["quantize", f16, folder.file("q8.gguf"), "Q8_0"])
        _ = try! KilnProcess.run(["quantize", f16, folder.file("q2.gguf"), "Q2_K"])
        return (folder, f16, folder.file("q8.gguf"), folder.file("q2.gguf"))
    }()

    func report(_ candidate: String, limits: [String]) throws -> (status: Int32, svg: String, png: RGBImage) {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["verify", "--reference", Self.files.f16, "-m", candidate, "-f", Fixtures.path("text/eval.txt"),
                                          "-c", "128", "--chunks", "8", "--reference-cache", Self.files.folder.file("ref.kref"),
                                          "--report", folder.file("r.svg"), "--report", folder.file("r.png")] + limits)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        return (result.status, try String(contentsOfFile: folder.file("r.svg"), encoding: .utf8), try RGBImage(contentsOf: folder.file("r.png")))
    }

    /// The badge's colour: the pixel just inside its top-right corner.
    func badge(_ image: RGBImage) -> [UInt8] {
        let (x, y) = (image.width - 26, 14)
        return Array(image.pixels[(y * image.width + x) * 3..<(y * image.width + x) * 3 + 3])
    }

    /// Width of the bar of `layer` in the SVG (its tooltip names the layer).
    func barWidth(_ svg: String, layer: Int) -> Double? {
        guard let line = svg.split(separator: "\n").first(where: { $0.contains("<title>layer \(layer): ") }),
              let range = line.range(of: #"width="([0-9.]+)""#, options: .regularExpression) else { return nil }
        return Double(line[range].dropFirst(7).dropLast())
    }

    @Test func passingAndFailingCandidatesAreTellApartAtAGlance() throws {
        let limits = ["--max-kld", "0.001", "--min-top1", "0.95"]
        let pass = try report(Self.files.q8, limits: limits)
        let fail = try report(Self.files.q2, limits: limits)
        #expect(pass.status == 0 && fail.status == 1)
        #expect(badge(pass.png) == [0x2e, 0x7d, 0x32], "green PASS badge")
        #expect(badge(fail.png) == [0xc6, 0x28, 0x28], "red FAIL badge")
        #expect(pass.svg.contains(">PASS</text>") && fail.svg.contains(">FAIL</text>"))
        for svg in [pass.svg, fail.svg] {
            for text in ["max-kld: ", "min-top1: ", "max-kld limit 0.001000", "Perplexity  candidate", "reference ", "positions",
                         "KL divergence (nats)", "128 tokens", "Where the bytes went", ">bits/w<", "text: eval.txt", "f16.gguf (F16, ", ">1e-4<", ">0.01<", ">layer 39<"] {
                #expect(svg.contains(text), "\(text) in the report")
            }
        }
        #expect(fail.svg.contains("(off by "), "a failed threshold says by how much")
        #expect(pass.svg.contains("q8.gguf (Q8_0, ") && pass.svg.contains("  Q8_0  "), "file type and each layer's worst tensor type")
        // One fixed scale: Q2_K's weight errors draw longer bars than Q8_0's.
        let (q8Bar, q2Bar) = (try #require(barWidth(pass.svg, layer: 0)), try #require(barWidth(fail.svg, layer: 0)))
        #expect(q2Bar > q8Bar + 50, "Q2_K \(q2Bar) px vs Q8_0 \(q8Bar) px")
        // The PNG is the SVG's size and has the drawing in it (not a blank page).
        let size = try #require(pass.svg.range(of: #"width="760" height="[0-9]+""#, options: .regularExpression))
        #expect(pass.png.width == 760 && pass.svg[size].contains("height=\"\(pass.png.height)\""))
        #expect(pass.png.pixels.filter { $0 < 128 }.count > 10_000)
    }
}
