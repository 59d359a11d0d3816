import Foundation
import KilnCore
import KilnImages
import KilnTestSupport
import Testing

/// Every kind of bad image gives one error naming the file, never a crash or a hang.
@Suite struct BadImageTests {
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case truncatedPNG, truncatedPNGHeader, truncatedJPEG, truncatedProgressiveJPEG, corruptPNGData, corruptJPEGData
        case wrongMagic, empty, zeroWidthPNG, zeroHeightJPEG, bombPNG, bombJPEG, textFile, transparentColourIn16BitRGB
        var testDescription: String { rawValue }
    }

    static func fixture(_ name: String) -> [UInt8] { Array(try! Data(contentsOf: URL(fileURLWithPath: "\(ImageGoldens.images)/\(name)"))) }

    /// The bytes of one bad image, made from the good fixtures.
    static func bytes(_ damage: Damage) -> [UInt8] {
        switch damage {
        case .truncatedPNG: let png = fixture("rgb.png"); return Array(png.prefix(png.count / 2))
        case .truncatedPNGHeader: return Array(fixture("rgb.png").prefix(20))
        case .truncatedJPEG: let jpeg = fixture("baseline.jpg"); return Array(jpeg.prefix(jpeg.count * 2 / 3))
        case .truncatedProgressiveJPEG: let jpeg = fixture("progressive.jpg"); return Array(jpeg.prefix(jpeg.count / 2))
        case .corruptPNGData:
            // Flip bytes inside the first IDAT chunk: its CRC no longer matches.
            var png = fixture("rgb.png")
            let idat = firstIndex(of: Array("IDAT".utf8), in: png)! + 40
            for index in idat..<idat + 16 { png[index] ^= 0x5A }
            return png
        case .corruptJPEGData:
            // Overwrite entropy-coded data after the start of scan with bytes that are no valid code.
            var jpeg = fixture("baseline.jpg")
            let scan = firstIndex(of: [0xFF, 0xDA], in: jpeg)! + 20
            for index in scan..<min(scan + 600, jpeg.count - 2) { jpeg[index] = index % 7 == 0 ? 0xFF : 0xD0 + UInt8(index % 3) }
            return jpeg
        case .wrongMagic: var png = fixture("rgb.png"); png[1] = UInt8(ascii: "Q"); return png
        case .empty: return []
        case .zeroWidthPNG: return PNGBytes.header(width: 0, height: 10)
        case .zeroHeightJPEG: return jpegWithSize(width: 10, height: 0)
        case .bombPNG: return PNGBytes.header(width: 100_000, height: 100_000)
        case .bombJPEG: return jpegWithSize(width: 65_000, height: 65_000)
        case .textFile: return Array("This is not an image.\n".utf8)
        case .transparentColourIn16BitRGB:
            // A tRNS chunk right after IHDR (8 + 25 bytes): Pillow's reading of it is inconsistent, Kiln refuses it.
            let png = fixture("rgb16.png")
            return Array(png.prefix(33)) + PNGBytes.chunk("tRNS", [0, 10, 0, 20, 0, 30]) + Array(png.dropFirst(33))
        }
    }

    @Test(arguments: Damage.allCases)
    func badImageIsOneLineNamingTheFile(_ damage: Damage) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("\(damage.rawValue).img")
        try writeFile(path, Self.bytes(damage))
        let error = #expect(throws: ImageError.self) { try RGBImage(contentsOf: path) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("\(path): "), "\(text)")
        #expect(!text.contains("\n"))
        if damage == .bombPNG || damage == .bombJPEG { #expect(text.contains("\(RGBImage.defaultMaximumPixels) pixels"), "\(text)") }
    }

    /// A valid progressive JPEG of 704 scans (Pillow reads it): libjpeg would run them all, Kiln
    /// stops after 500 (a small file of many scans can take hours to decode).
    @Test func progressiveScanCountIsCapped() throws {
        let path = "\(ImageGoldens.images)/hostile/many-scans.jpg"
        let error = #expect(throws: ImageError.self) { try RGBImage(contentsOf: path) }
        #expect(error?.description == "\(path): is not a valid JPEG image: more than 500 progressive scans")
    }

    @Test func pixelLimitIsCheckedFromTheHeader() throws {
        // 150 × 100 = 15000 pixels: refused under a 10000-pixel limit, decoded under 15000.
        let path = "\(ImageGoldens.images)/baseline.jpg"
        #expect(throws: ImageError.self) { try RGBImage(contentsOf: path, maximumPixels: 10_000) }
        #expect(try RGBImage(contentsOf: path, maximumPixels: 15_000).width == 150)
    }

    @Test func directoryIsRefused() throws {
        let folder = TemporaryDirectory()
        let error = #expect(throws: FileError.self) { try RGBImage(contentsOf: folder.path) }
        #expect(error?.description.hasPrefix(folder.path) == true)
    }

    /// The read runs on its own thread with a deadline from the moment it starts: a `.timeLimit` alone
    /// also counts the time a loaded machine keeps the test waiting for a thread of the test pool.
    @Test(.timeLimit(.minutes(10))) func fifoIsRefusedWithoutWaitingForAWriter() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("pipe.png")
        try #require(mkfifo(path, 0o600) == 0)
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<RGBImage, any Error>?
        Thread.detachNewThread {
            outcome = Result { try RGBImage(contentsOf: path) }
            finished.signal()
        }
        try #require(finished.wait(timeout: .now() + 30) == .success, "reading a FIFO waited for a writer")
        let error = #expect(throws: FileError.self) { try outcome!.get() }
        #expect(error?.description == "\(path): not a regular file")
    }

    @Test func missingFileNamesIt() {
        let error = #expect(throws: FileError.self) { try RGBImage(contentsOf: "/nonexistent/cat.jpg") }
        #expect(error?.description.hasPrefix("/nonexistent/cat.jpg: cannot open") == true)
    }

    /// Every prefix of a small PNG and JPEG fails cleanly or decodes (no crash, no hang).
    @Test func everyTruncationFailsCleanly() throws {
        for name in ["small.jpg", "palette.png", "grey-alpha.png"] {
            let bytes = Self.fixture(name)
            for length in stride(from: 0, to: bytes.count, by: 7) {
                let prefix = Array(bytes.prefix(length))
                _ = prefix.withUnsafeBytes { try? RGBImage(decoding: $0, path: name) }
            }
        }
    }

    /// Seeded random damage (bytes overwritten, runs deleted) to every fixture: each result decodes
    /// or throws ``ImageError``; a crash or a hang fails the run.
    @Test(.timeLimit(.minutes(2)), arguments: ImageGoldens.shared.decoded.map(\.file))
    func randomDamageFailsCleanly(_ name: String) throws {
        let original = Self.fixture(name)
        var state = UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { $0 &* 33 &+ Int($1) })
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            var bytes = original
            for _ in 0...next(4) {
                let at = 8 + next(bytes.count - 8)  // keep the signature so the decoders are reached
                if next(4) == 0 {
                    bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(64)))
                } else {
                    bytes[at] = UInt8(truncatingIfNeeded: next(256))
                }
            }
            do {
                _ = try bytes.withUnsafeBytes { try RGBImage(decoding: $0, path: name) }
            } catch is ImageError {}
        }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// The baseline JPEG fixture with its frame header's size replaced.
    static func jpegWithSize(width: UInt16, height: UInt16) -> [UInt8] {
        var jpeg = fixture("baseline.jpg")
        let frame = firstIndex(of: [0xFF, 0xC0], in: jpeg)!
        jpeg[frame + 5] = UInt8(height >> 8); jpeg[frame + 6] = UInt8(height & 0xFF)
        jpeg[frame + 7] = UInt8(width >> 8); jpeg[frame + 8] = UInt8(width & 0xFF)
        return jpeg
    }

}
