import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// Every command's `--json` in one style: one object alone on standard output (jq reads it), snake_case
/// keys, and the inputs with the results so a record stands alone.
@Suite(.serialized) struct JSONOutputTests {
    static let files: (folder: TemporaryDirectory, f16: String, q8: String) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf"), q8 = folder.file("q8.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16])
        _ = try! KilnProcess.run(["quantize", f16, q8, "Q8_0"])
        return (folder, f16, q8)
    }()

    /// Keys that are field names (not data keys such as metadata names or type histograms) in snake_case.
    func fieldKeys(_ json: JSON, skipping dataKeys: Set<String> = ["metadata", "types"]) -> [String] {
        switch json {
        case let .object(members):
            members.flatMap { [$0.key] + (dataKeys.contains($0.key) ? [] : fieldKeys($0.value, skipping: dataKeys)) }
        case let .array(items): items.flatMap { fieldKeys($0, skipping: dataKeys) }
        default: []
        }
    }

    func expectSnakeCase(_ json: JSON, _ what: String) {
        for key in fieldKeys(json) {
            #expect(key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(what): key \(key) is not snake_case")
        }
    }

    /// Standard output is one line holding the object, and jq parses it.
    func onlyJSON(_ result: KilnProcess, _ what: String) throws -> JSON {
        #expect(result.status == 0 || result.status == 1, "\(what): \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1, "\(what): stdout is the object alone: \(result.stdout)")
        let json = try JSON.parse(result.stdout)
        expectSnakeCase(json, what)
        return json
    }

    @Test func verifyPrintsTheObjectOnStdoutAndTheTableOnStderr() throws {
        let folder = TemporaryDirectory()
        let arguments = ["verify", "--reference", Self.files.f16, "--candidate", Self.files.q8, "-f", Fixtures.path("text/eval.txt"),
                         "-c", "64", "--chunks", "4", "--reference-cache", folder.file("ref.kref"), "--max-kld", "0.5", "--min-top1", "0.5",
                         "--json", "--json-out", folder.file("copy.json")]
        let result = try KilnProcess.run(arguments)
        let json = try onlyJSON(result, "verify")
        #expect(result.stderr.contains("mean KLD") && result.stderr.contains("PASSED"), "the table goes to stderr: \(result.stderr)")
        // The record names its inputs and settings next to the results.
        #expect(json["reference"]?.stringValue == Self.files.f16 && json["candidate"]?.stringValue == Self.files.q8)
        #expect(json["candidate_type"]?.stringValue == "Q8_0" && json["reference_type"]?.stringValue == "F16")
        #expect(json["ctx"]?.intValue == 64 && json["chunks"]?.intValue == 4 && json["text"]?.stringValue == Fixtures.path("text/eval.txt"))
        #expect((json["candidate_bytes"]?.intValue ?? 0) > 0 && (json["candidate_bytes"]?.intValue ?? 0) < (json["reference_bytes"]?.intValue ?? 0))
        for key in ["reference_ppl_error", "candidate_ppl_error", "mean_kld_error", "top1_agreement_error", "ln_ppl_ratio"] {
            #expect(json[key]?.doubleValue != nil, "\(key)")
        }
        #expect(json["thresholds"]?["max_kld"]?["passed"] == .bool(true) && json["thresholds"]?["min_top1"]?["limit"]?.doubleValue == 0.5)
        // --json-out writes the same object.
        let copy = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("copy.json")))))
        #expect(copy["mean_kld"] == json["mean_kld"] && copy["candidate_ppl"] == json["candidate_ppl"])

        // `verify --json | jq` as a CI step writes it.
        let jq = try KilnProcess.run(executable: "/bin/sh", ["-c", "\"$@\" | jq -e '.passed and .mean_kld < 0.5'", "kiln",
                                                             Fixtures.kilnExecutable] + arguments)
        #expect(jq.status == 0 && jq.stdout == "true\n", "\(jq.stdout) \(jq.stderr)")

        // An old `--json FILE` gets a pointer to --json-out.
        let old = try KilnProcess.run(["verify", "--reference", Self.files.f16, "--candidate", Self.files.q8, "--json", folder.file("old.json")])
        #expect(old.status == 2 && old.stderr.contains("--json-out"), "\(old.stderr)")
    }

    @Test func convertQuantizeInspectAndPerplexityShareTheStyle() throws {
        let folder = TemporaryDirectory()
        let out = folder.file("m.gguf")
        let convert = try onlyJSON(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", out, "--json"]), "convert")
        let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int
        #expect(convert["output"]?.stringValue == out && convert["bytes"]?.intValue == size && convert["tensors"]?.intValue == 363)
        #expect(convert["outtype"]?.stringValue == "auto" && convert["model"]?.stringValue == Fixtures.tinyPixtral)

        let quantize = try onlyJSON(try KilnProcess.run(["quantize", Self.files.f16, folder.file("q.gguf"), "Q4_0", "--json"]), "quantize")
        #expect(quantize["types"]?["Q4_0"] != nil)
        let inspect = try onlyJSON(try KilnProcess.run(["inspect", Self.files.q8, "--json", "--tensors"]), "inspect")
        #expect(inspect["file_type"]?.stringValue == "Q8_0")
        let perplexity = try onlyJSON(try KilnProcess.run(["perplexity", Self.files.q8, "-f", Fixtures.path("text/eval.txt"), "-c", "64",
                                                            "--chunks", "2", "--json"]), "perplexity")
        #expect(perplexity["ppl"]?.doubleValue != nil && perplexity["chunks"]?.intValue == 2)
        let generate = try onlyJSON(try KilnProcess.run(["generate", Self.files.q8, "-p", "Hello", "-n", "3", "--json", "--logprobs", "2"]), "generate")
        #expect(generate["max_tokens"]?.intValue == 3 && generate["tokens"]?.arrayValue?.first?["top"]?.arrayValue?.count == 2)
    }

    /// Names from Swift (`attentionOutput`) become snake_case (`attention_output`) in JSON.
    @Test func upscalePlanNamesTensorsInSnakeCase() throws {
        let json = try onlyJSON(try KilnProcess.run(["upscale", Fixtures.tinyPixtral, "--layers", "48", "--method", "identity", "--dry-run", "--json"]),
                                "upscale")
        let zeroed = (json["map"]?.arrayValue ?? []).flatMap { $0["zeroed"]?.arrayValue ?? [] }.compactMap(\.stringValue)
        #expect(Set(zeroed) == ["attention_output", "feed_forward_down"], "\(zeroed)")
    }
}
