import Foundation
import KilnCore
import KilnImages
import KilnTestSupport
import Testing

/// Decoded RGB bytes equal those transformers' `convert_to_rgb` gets from Pillow for the same file.
@Suite struct ImageDecodingTests {
    @Test(arguments: ImageGoldens.shared.decoded)
    func decodesLikePillow(_ golden: ImageGoldens.Decoded) throws {
        let image = try RGBImage(contentsOf: "\(ImageGoldens.images)/\(golden.file)")
        #expect(image.width == golden.width)
        #expect(image.height == golden.height)
        for sample in golden.samples {
            let offset = (sample[1] * image.width + sample[0]) * 3
            #expect(image.pixels[offset..<offset + 3].map(Int.init) == Array(sample[2...]), "pixel (\(sample[0]), \(sample[1]))")
        }
        #expect(SHA256.hex(image.pixels) == golden.sha256)
    }

    @Test func formatComesFromTheBytesNotTheName() throws {
        let folder = TemporaryDirectory()
        let renamed = folder.file("photo.png")
        try copyFixture("progressive.jpg", to: renamed)
        let image = try RGBImage(contentsOf: renamed)
        #expect(image == (try RGBImage(contentsOf: "\(ImageGoldens.images)/progressive.jpg")))
    }
}

func copyFixture(_ name: String, to path: String) throws {
    try FileManager.default.copyItem(atPath: "\(ImageGoldens.images)/\(name)", toPath: path)
}
