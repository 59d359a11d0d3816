import Foundation
import KilnCore
import KilnGGUF
import KilnTestSupport
import Testing

/// `kiln verify` on the fixture: F16 reference, quantized candidates made by kiln itself.
@Suite(.serialized) struct VerifyCommandTests {
    /// The fixture as F16 plus quantized candidates, made once by kiln convert and kiln quantize.
    static let files: (folder: TemporaryDirectory, f16: String, q8: String, q4km: String, q3: String, q2: String) = {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf")
        _ = try! KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16])
        func quantized(_ type: String) -> String {
            let path = folder.file("\(type).gguf")
            _ = try! KilnProcess.run(["quantize", f16, "-o", path, "--type", type, "--json"])
            return path
        }
        return (folder, f16, quantized("Q8_0"), quantized("Q4_K_M"), quantized("Q3_K_S"), quantized("Q2_K"))
    }()

    func verify(_ candidate: String, _ options: [String], cache: String) throws -> (KilnProcess, JSON?) {
        let json = cache + ".json"
        try? FileManager.default.removeItem(atPath: json)
        let result = try KilnProcess.run(["verify", "--reference", Self.files.f16, "--candidate", candidate, "--file", Fixtures.path("text/eval.txt"),
                                          "--ctx", "128", "--chunks", "16", "--reference-cache", cache, "--json-out", json] + options)
        return (result, (try? Data(contentsOf: URL(fileURLWithPath: json))).flatMap { try? JSON.parse(Array($0)) })
    }

    /// llama-perplexity --kl-divergence on the same files (Scripts/oracle/make_verify_goldens.sh).
    func golden(_ type: String, _ label: String) throws -> Double {
        let text = try String(contentsOfFile: "\(Fixtures.goldens)/verify/\(type).txt", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(label) })
        return try #require(Double(line.split(separator: ":")[1].split(separator: "±")[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")))
    }

    /// Mean KLD, top-1 agreement and the PPL ratio within 1 % of llama-perplexity --kl-divergence on the
    /// same files; the runtime rounds activations as llama.cpp's quantized dot products do.
    @Test(arguments: ["Q8_0", "Q4_K_M", "Q3_K_S"])
    func agreesWithLlamaPerplexity(_ type: String) throws {
        let folder = TemporaryDirectory()
        let candidate = ["Q8_0": Self.files.q8, "Q4_K_M": Self.files.q4km, "Q3_K_S": Self.files.q3][type]!
        let (result, json) = try verify(candidate, [], cache: folder.file("ref.kref"))
        #expect(result.status == 0, "\(result.stderr)")
        let j = try #require(json)
        // llama-perplexity prints 6 decimals: its value is known to half of the last one. A KL divergence
        // of 5e-5 (Q8_0) is also within float32 summation noise of 1e-6 nats: Kiln's kernels add in
        // another order than llama.cpp's, and Q8_0 activations turn that into level flips.
        func close(_ ours: Double?, _ theirs: Double, _ tolerance: Double, _ what: String, printed: Double = 0) {
            guard let ours else { Issue.record("\(what) missing"); return }
            #expect(abs(ours - theirs) <= tolerance * theirs + printed, "\(what): kiln \(ours) vs llama.cpp \(theirs)")
        }
        close(j["reference_ppl"]?.doubleValue, try golden(type, "Mean PPL(base)"), 0.001, "PPL(base)")
        close(j["candidate_ppl"]?.doubleValue, try golden(type, "Mean PPL(Q)"), 0.001, "PPL(Q)")
        close(j["ppl_ratio"]?.doubleValue, try golden(type, "Mean PPL(Q)/PPL(base)"), 0.01, "PPL ratio")
        close(j["top1_agreement"]?.doubleValue, try golden(type, "Same top p") / 100, 0.01, "same top p")
        close(j["mean_kld"]?.doubleValue, try golden(type, "Mean    KLD"), 0.01, "mean KLD", printed: 1.5e-6)
    }

    /// The chain Kiln's CI runs on the fixture: Q8_0 and Q4_K_M pass thresholds they should meet, and
    /// Q2_K fails a tight one with exit status 1, naming the threshold and the margin.
    @Test func thresholdsPassAndFailWithExitCodes() throws {
        let folder = TemporaryDirectory()
        let cache = folder.file("ref.kref")
        let thresholds = ["--max-kld", "0.001", "--min-top1", "0.95", "--max-ppl-increase", "0.5"]
        let (q8, q8JSON) = try verify(Self.files.q8, thresholds, cache: cache)
        #expect(q8.status == 0, "\(q8.stdout)\(q8.stderr)")
        #expect(q8.stdout.contains("PASSED"))
        #expect(q8JSON?["passed"] == .bool(true))
        #expect(q8JSON?["reference_from_cache"] == .bool(false))

        let (q4, q4JSON) = try verify(Self.files.q4km, thresholds, cache: cache)
        #expect(q4.status == 0, "\(q4.stdout)\(q4.stderr)")
        #expect(q4JSON?["reference_from_cache"] == .bool(true), "the second candidate reuses the reference pass")

        let (q2, q2JSON) = try verify(Self.files.q2, thresholds, cache: cache)
        #expect(q2.status == 1)
        #expect(q2.stdout.contains("FAIL  max-kld") && q2.stdout.contains("off by"))
        #expect(q2.stdout.contains("FAILED"))
        #expect(q2JSON?["passed"] == .bool(false))
        #expect(q2JSON?["thresholds"]?["max_kld"]?["passed"] == .bool(false))
        for key in ["reference_ppl", "candidate_ppl", "mean_kld", "median_kld", "p99_kld", "max_kld", "top1_agreement"] {
            #expect(q2JSON?[key]?.doubleValue != nil, "\(key) in the JSON")
        }
    }

    @Test func aCandidateWithOneTensorZeroedFails() throws {
        let folder = TemporaryDirectory()
        let broken = folder.file("broken.gguf")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.files.q8)))
        let file = try GGUFFile(path: Self.files.q8)
        let tensor = try #require(file.tensor(named: "blk.0.ffn_down.weight"))
        let start = file.dataOffset + tensor.offset
        for i in start..<start + tensor.byteCount { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: broken))
        let (result, json) = try verify(broken, ["--max-kld", "0.001"], cache: folder.file("ref.kref"))
        #expect(result.status == 1)
        #expect((json?["mean_kld"]?.doubleValue ?? 0) > 0.001)
    }

    /// A cache whose values were replaced keeps failing a candidate that should fail: here the
    /// reference cache's header (key, length, digest) over the zstd frame of the candidate's own pass,
    /// which would give a KL divergence of 0. The digest no longer matches, so the cache is rebuilt
    /// with a one-line note, and Q2_K still fails the tight threshold.
    @Test func aCacheWithAlteredValuesCannotPassACandidate() throws {
        let folder = TemporaryDirectory()
        let cache = folder.file("ref.kref"), own = folder.file("own.kref")
        let (genuine, _) = try verify(Self.files.q2, ["--max-kld", "0.001"], cache: cache)
        #expect(genuine.status == 1)
        let selfPass = try KilnProcess.run(["verify", "--reference", Self.files.q2, "--candidate", Self.files.q2, "--file", Fixtures.path("text/eval.txt"),
                                            "--ctx", "128", "--chunks", "16", "--reference-cache", own])
        #expect(selfPass.status == 0, "\(selfPass.stderr)")
        // Both files: KILNREF3, u32 key length, key, u64 payload length, the frame, 64 digest digits.
        func split(_ path: String) throws -> (header: [UInt8], frame: [UInt8], digest: [UInt8]) {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let end = 12 + Int(bytes[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) + 8
            return (Array(bytes[..<end]), Array(bytes[end..<(bytes.count - 64)]), Array(bytes[(bytes.count - 64)...]))
        }
        let genuineFile = try split(cache)
        try Data(genuineFile.header + split(own).frame + genuineFile.digest).write(to: URL(fileURLWithPath: cache))
        let (tampered, json) = try verify(Self.files.q2, ["--max-kld", "0.001"], cache: cache)
        #expect(tampered.status == 1, "\(tampered.stdout)")
        #expect(json?["reference_from_cache"] == .bool(false))
        let notes = tampered.stderr.split(separator: "\n").filter { $0.contains("rebuilding the reference cache") }
        #expect(notes.count == 1 && notes[0].contains("SHA-256"), "\(tampered.stderr)")
    }

    @Test func aStaleCacheIsRebuilt() throws {
        let folder = TemporaryDirectory()
        let cache = folder.file("ref.kref")
        _ = try verify(Self.files.q8, [], cache: cache)
        let (_, again) = try verify(Self.files.q8, [], cache: cache)
        #expect(again?["reference_from_cache"] == .bool(true))
        let otherText = folder.file("other.txt")
        try String(try String(contentsOfFile: Fixtures.path("text/eval.txt"), encoding: .utf8).reversed()).write(toFile: otherText, atomically: true, encoding: .utf8)
        let changed = try KilnProcess.run(["verify", "--reference", Self.files.f16, "--candidate", Self.files.q8, "--file", otherText,
                                           "--ctx", "128", "--chunks", "4", "--reference-cache", cache, "--json-out", folder.file("o.json")])
        #expect(changed.status == 0, "\(changed.stderr)")
        let json = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("o.json")))))
        #expect(json["reference_from_cache"] == .bool(false), "a cache made for another text is not used")
    }

    @Test func anotherVocabularyIsAnInputError() throws {
        let folder = TemporaryDirectory()
        let source = try GGUFFile(path: Self.files.q8)
        var metadata = source.metadata
        guard case var .string(tokens)? = metadata["tokenizer.ggml.tokens"]?.arrayValue else { Issue.record("no tokens"); return }
        tokens.swapAt(100, 101)
        metadata["tokenizer.ggml.tokens"] = .array(.string(tokens))
        let other = folder.file("other-vocab.gguf")
        let writer = try GGUFWriter(path: other, metadata: metadata,
                                    tensors: source.tensors.map { GGUFTensorDescriptor(name: $0.name, dimensions: $0.dimensions, type: $0.type) })
        for tensor in source.tensors { try writer.write(source.bytes(of: tensor)) }
        try writer.finish()
        let (result, _) = try verify(other, [], cache: folder.file("ref.kref"))
        #expect(result.status == 2)
        #expect(result.stderr.contains("vocabulary"))
    }

    @Test func textShorterThanTwoContextsIsAnInputError() throws {
        let folder = TemporaryDirectory()
        try "A short text.".write(toFile: folder.file("short.txt"), atomically: true, encoding: .utf8)
        let result = try KilnProcess.run(["verify", "--reference", Self.files.f16, "--candidate", Self.files.q8, "--file", folder.file("short.txt")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("at least two contexts"))
    }
}

@Suite struct VerifyPerTensorTests {
    @Test func listsEveryTensorWorstFirstAndFindsAZeroedOne() throws {
        let folder = TemporaryDirectory()
        let f16 = folder.file("f16.gguf"), q8 = folder.file("q8.gguf"), broken = folder.file("broken.gguf")
        #expect(try KilnProcess.run(["convert", Fixtures.tinyPixtral, "--outtype", "f16", "-o", f16]).status == 0)
        #expect(try KilnProcess.run(["quantize", f16, "-o", q8, "--type", "Q8_0", "--json"]).status == 0)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: q8)))
        let file = try GGUFFile(path: q8)
        let tensor = try #require(file.tensor(named: "blk.7.attn_q.weight"))
        for i in (file.dataOffset + tensor.offset)..<(file.dataOffset + tensor.offset + tensor.byteCount) { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: broken))
        // The reference is the safetensors folder: Q/K rows are compared through the rotary permutation.
        let result = try KilnProcess.run(["verify", "--reference", Fixtures.tinyPixtral, "--candidate", broken, "--ctx", "64", "--chunks", "2",
                                          "--reference-cache", folder.file("ref.kref"), "--json-out", folder.file("out.json"), "--per-tensor"])
        #expect(result.status == 0, "\(result.stderr)")
        let tensors = try #require(try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("out.json")))))["tensors"]?.arrayValue)
        #expect(tensors.count == 363)
        #expect(tensors.first?["name"]?.stringValue == "blk.7.attn_q.weight")
        #expect(tensors.first?["relative_rmse"]?.doubleValue == 1)
        // Every other Q8_0 or F32 tensor is close to the bf16 weights, Q/K included.
        #expect(tensors.dropFirst().allSatisfy { ($0["relative_rmse"]?.doubleValue ?? 1) < 0.02 })
        #expect(result.stdout.contains("per tensor"))

        let report = folder.file("report.svg")
        #expect(try KilnProcess.run(["verify", "--reference", Fixtures.tinyPixtral, "--candidate", broken, "--ctx", "64", "--chunks", "2",
                                     "--reference-cache", folder.file("ref.kref"), "--report", report]).status == 0)
        let svg = try String(contentsOfFile: report, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("KL divergence per position"))
        #expect(svg.contains("<title>layer 7: 1.0000</title>"), "layer 7 holds the zeroed tensor")
        #expect(svg.components(separatedBy: "<title>layer ").count - 1 == 40)
    }

    /// Where the bytes went, on wide-llama's Q4_K_M (Q4_K, Q6_K where llama-quantize's rules give more
    /// bits, F32 norms): one row per tensor of the file with the type and bytes `kiln inspect` reads from
    /// it, bits per weight and share following from them, each tensor's error next to them, worst first;
    /// the table groups them by type, and jq reads the array.
    @Test func showsEachTensorsTypeAndBytesNextToItsError() throws {
        let folder = TemporaryDirectory()
        let q4 = folder.file("q4.gguf")
        #expect(try KilnProcess.run(["quantize", Fixtures.wideLlama, "-o", q4, "--type", "Q4_K_M"]).status == 0)
        let inspect = try JSON.parse(try KilnProcess.run(["inspect", q4, "--json", "--tensors"]).stdout)
        var file: [String: (type: String, bytes: Int, elements: Int)] = [:]
        for tensor in try #require(inspect["tensors"]?.arrayValue) {
            let shape = try #require(tensor["shape"]?.arrayValue).compactMap(\.intValue)
            file[try #require(tensor["name"]?.stringValue)] = (try #require(tensor["type"]?.stringValue), try #require(tensor["bytes"]?.intValue),
                                                              shape.reduce(1, *))
        }
        #expect(Set(file.values.map(\.type)) == ["Q4_K", "Q6_K", "F32"], "a mixed file: \(file)")
        let total = file.values.reduce(0) { $0 + $1.bytes }
        #expect(total == inspect["tensor_bytes"]?.intValue)

        let arguments = ["verify", "--reference", Fixtures.wideLlama, "-m", q4, "-c", "128", "--chunks", "4",
                         "--reference-cache", folder.file("ref.kref"), "-t", "2"]
        let result = try KilnProcess.run(arguments + ["--json", "--tensors"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSON.parse(result.stdout)["tensors"]?.arrayValue)
        #expect(rows.count == file.count && Set(rows.compactMap { $0["name"]?.stringValue }) == Set(file.keys))
        var errors: [(type: String, error: Double)] = []
        for row in rows {
            let name = try #require(row["name"]?.stringValue), expected = try #require(file[name])
            #expect(row["type"]?.stringValue == expected.type && row["bytes"]?.intValue == expected.bytes, "\(name): \(row.serialized)")
            #expect(abs((row["bits_per_weight"]?.doubleValue ?? 0) - Double(8 * expected.bytes) / Double(expected.elements)) < 1e-9)
            #expect(abs((row["share"]?.doubleValue ?? 0) - Double(expected.bytes) / Double(total)) < 1e-12)
            errors.append((expected.type, try #require(row["relative_rmse"]?.doubleValue, "\(name) has a measured error")))
        }
        #expect(errors.map(\.error) == errors.map(\.error).sorted(by: >), "worst first")
        // The error follows the bytes: every Q6_K tensor is closer to the reference than every Q4_K one,
        // and the F32 norms are the reference's bf16 values exactly.
        let q6 = errors.filter { $0.type == "Q6_K" }.map(\.error), q4k = errors.filter { $0.type == "Q4_K" }.map(\.error)
        #expect(q6.max()! < q4k.min()! && q4k.max()! < 0.1, "Q6_K \(q6), Q4_K \(q4k)")
        #expect(errors.filter { $0.type == "F32" }.allSatisfy { $0.error == 0 })

        // The table (on stderr with --json): each type once with its tensor count, then every tensor with its type.
        let lines = result.stderr.split(separator: "\n").map(String.init)
        for type in ["Q4_K", "Q6_K", "F32"] {
            let count = file.values.filter { $0.type == type }.count
            #expect(lines.contains { $0.split(separator: " ").prefix(2) == [Substring(type), Substring("\(count)")] }, "\(type) ×\(count): \(lines)")
        }
        for (name, tensor) in file {
            #expect(lines.contains { $0.split(separator: " ").prefix(2) == [Substring(name), Substring(tensor.type)] }, "\(name) row")
        }
        #expect(lines.contains { $0.contains("relative RMSE") })

        let jq = try KilnProcess.run(executable: "/bin/sh", ["-c", "\"$@\" | jq -e '(.tensors | length) == \(file.count) and all(.tensors[]; .bytes > 0 and .bits_per_weight > 0 and .relative_rmse >= 0)'",
                                                             "kiln", Fixtures.kilnExecutable] + arguments + ["--json"])
        #expect(jq.status == 0 && jq.stdout == "true\n", "\(jq.stdout) \(jq.stderr)")
    }
}
