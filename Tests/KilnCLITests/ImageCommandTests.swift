import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// `kiln generate --image` and `kiln verify --images` on the tiny Pixtral fixture, with the committed
/// test images.
@Suite(.serialized) struct ImageCommandTests {
    /// The fixture as a BF16 text GGUF with an F32 projector, and Q8_0 / Q2_K candidates with theirs.
    static let files: (folder: TemporaryDirectory, text: String, mmproj: String, q8: String, q8mmproj: String, q4: String, q4mmproj: String) = {
        let folder = TemporaryDirectory()
        let text = folder.file("text.gguf"), mmproj = folder.file("mmproj-f32.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", text, "--mmproj", mmproj, "--mmproj-type", "f32"])
        func quantized(_ type: String, _ projectorType: String) -> (String, String) {
            let path = folder.file("\(type).gguf"), projector = folder.file("mmproj-\(projectorType).gguf")
            _ = try! KilnProcess.run(["quantize", Fixtures.tinyPixtral, "-o", path, "--type", type, "--mmproj", projector, "--mmproj-type", projectorType])
            return (path, projector)
        }
        let (q8, q8mmproj) = quantized("Q8_0", "q8_0")
        let (q4, q4mmproj) = quantized("Q4_K_M", "f16")
        return (folder, text, mmproj, q8, q8mmproj, q4, q4mmproj)
    }()

    static let image = Fixtures.path("images/rgb.png")

    func generate(_ arguments: [String]) throws -> (KilnProcess, JSON?) {
        let result = try KilnProcess.run(["generate"] + arguments + ["--json", "-n", "8", "--threads", "2"])
        return (result, try? JSON.parse(Array(result.stdout.utf8)))
    }

    /// The folder (bf16 weights in float32) and the GGUF pair with an F32 projector run the same image
    /// prompt to the same greedy tokens; top-5 log-probabilities agree closely.
    @Test func folderAndGGUFPairAgree() throws {
        let prompt = ["--prompt", "[IMG]In the beginning", "--image", Self.image, "--logprobs", "5"]
        let (folder, folderJSON) = try generate([Fixtures.tinyPixtral] + prompt)
        let (pair, pairJSON) = try generate([Self.files.text, "--mmproj", Self.files.mmproj] + prompt)
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect(pair.status == 0, "\(pair.stderr)")
        let a = try #require(folderJSON?["tokens"]?.arrayValue), b = try #require(pairJSON?["tokens"]?.arrayValue)
        #expect(a.count == 8 && b.count == 8)
        #expect(a.compactMap { $0["id"]?.intValue } == b.compactMap { $0["id"]?.intValue })
        for (x, y) in zip(a, b) {
            let p = try #require(x["logprob"]?.doubleValue), q = try #require(y["logprob"]?.doubleValue)
            #expect(abs(p - q) < 0.02, "log-probabilities \(p) vs \(q)")
            #expect(x["top"]?.arrayValue?.count == 5)
        }
        // The image matters: without it the prediction differs.
        let (plain, plainJSON) = try generate([Fixtures.tinyPixtral, "--prompt", "In the beginning", "--logprobs", "5"])
        #expect(plain.status == 0)
        #expect(plainJSON?["tokens"]?.arrayValue?.first?["logprob"]?.doubleValue != a.first?["logprob"]?.doubleValue)
        #expect(folderJSON?["prompt_tokens"]?.intValue ?? 0 > plainJSON?["prompt_tokens"]?.intValue ?? 0)
    }

    /// llama.cpp's `<__media__>` marker places the image as `[IMG]` does; an image without a marker goes first.
    @Test func imageMarkersPlaceImages() throws {
        let (a, aJSON) = try generate([Fixtures.tinyPixtral, "--prompt", "<__media__>In the beginning", "--image", Self.image])
        let (b, bJSON) = try generate([Fixtures.tinyPixtral, "--prompt", "In the beginning", "--image", Self.image])
        #expect(a.status == 0 && b.status == 0)
        #expect(aJSON?["text"]?.stringValue == bJSON?["text"]?.stringValue)
        let (c, _) = try generate([Fixtures.tinyPixtral, "--prompt", "[IMG][IMG]two markers", "--image", Self.image])
        #expect(c.status == 2)
        #expect(c.stderr.contains("places 2 images"), "\(c.stderr)")
    }

    /// config.json's image token id and the tokenizer's `[IMG]` must agree, or the images would land
    /// where no marker stands.
    @Test func imageTokenIdsMustAgreeWithTheTokenizer() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.tinyPixtral) where name != "config.json" {
            try FileManager.default.createSymbolicLink(atPath: "\(model)/\(name)", withDestinationPath: "\(Fixtures.tinyPixtral)/\(name)")
        }
        let config = try String(contentsOfFile: "\(Fixtures.tinyPixtral)/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"image_token_index\": 10", with: "\"image_token_index\": 11")
            .write(toFile: "\(model)/config.json", atomically: true, encoding: .utf8)
        let (result, _) = try generate([model, "--prompt", "x", "--image", Self.image])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("image tokens 11/"), "\(result.stderr)")
    }

    @Test func textGGUFWithoutProjectorIsAUsageError() throws {
        let (result, _) = try generate([Self.files.text, "--prompt", "x", "--image", Self.image])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--mmproj"), "\(result.stderr)")
    }

    /// Q8_0 with a Q8_0 projector and Q4_K_M with an F16 one pass a loose image gate; Q4_K_M fails a
    /// tight one with exit status 1, naming the image threshold.
    @Test func verifyGatesTheImagePath() throws {
        let folder = TemporaryDirectory()
        func verify(_ candidate: String, _ projector: String, _ limits: [String]) throws -> (KilnProcess, JSON?) {
            let json = folder.file("out-\(UUID().uuidString).json")
            let result = try KilnProcess.run(["verify", "--reference", Fixtures.tinyPixtral, "--candidate", candidate, "--mmproj", projector,
                                              "--images", Fixtures.path("images"), "--file", Fixtures.path("text/eval.txt"),
                                              "--ctx", "128", "--chunks", "2", "--reference-cache", folder.file("ref.kref"),
                                              "--json-out", json, "--threads", "2"] + limits)
            return (result, (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSON.parse(Array($0)) })
        }
        let (good, goodJSON) = try verify(Self.files.q8, Self.files.q8mmproj, ["--max-kld", "0.05", "--min-top1", "0.8"])
        #expect(good.status == 0, "\(good.stdout)\n\(good.stderr)")
        let vision = try #require(goodJSON?["vision"])
        #expect(vision["images"]?.intValue ?? 0 >= 10)
        let q8KLD = try #require(vision["mean_kld"]?.doubleValue)
        #expect(q8KLD > 0 && q8KLD < 0.05)
        #expect(good.stdout.contains("vision max-kld"))

        let (loose, looseJSON) = try verify(Self.files.q4, Self.files.q4mmproj, ["--max-kld", "0.05", "--min-top1", "0.8"])
        #expect(loose.status == 0, "loose limits hold for Q4_K_M: \(loose.stdout)\n\(loose.stderr)")
        let q4KLD = try #require(looseJSON?["vision"]?["mean_kld"]?.doubleValue)
        #expect(q4KLD > q8KLD, "Q4_K_M \(q4KLD) should diverge more than Q8_0 \(q8KLD)")
        // The text gate alone would pass at this limit; the image gate must be what fails.
        let textKLD = try #require(looseJSON?["mean_kld"]?.doubleValue)
        let limit = max(textKLD * 1.01, q4KLD / 2)
        guard limit < q4KLD else { Issue.record("text KLD \(textKLD) is not below image KLD \(q4KLD)"); return }
        let (failing, _) = try verify(Self.files.q4, Self.files.q4mmproj, ["--max-kld", String(limit)])
        #expect(failing.status == 1, "\(failing.stdout)\n\(failing.stderr)")
        #expect(failing.stdout.contains("FAIL  vision max-kld"), "\(failing.stdout)")
    }

    /// Every bad image: exit 2, one line naming the file, nothing printed on stdout.
    @Test(arguments: ["truncated", "not-an-image", "bomb"])
    func badImagesAreInputErrors(_ kind: String) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("\(kind).png")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.image)))
        switch kind {
        case "truncated": bytes = Array(bytes.prefix(bytes.count / 2))
        case "not-an-image": bytes = Array("this is text, not a picture".utf8)
        default: bytes = PNGBytes.header(width: 60_000, height: 60_000)  // a valid header: the pixel cap must stop it
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try KilnProcess.run(["generate", Fixtures.tinyPixtral, "--prompt", "x", "--image", path, "-n", "1"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(path), "\(result.stderr)")
        if kind == "bomb" { #expect(result.stderr.contains("more than the limit"), "\(result.stderr)") }
    }
}
