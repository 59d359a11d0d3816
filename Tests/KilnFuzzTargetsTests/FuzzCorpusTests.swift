import Foundation
import KilnCore
import KilnFuzzTargets
import KilnTestSupport
import Testing

/// One committed input of a fuzz target: a seed (`Fixtures/fuzz/seeds`), one of the issue's hostile
/// examples (`Fixtures/fuzz/hostile`) or an input that once made a reader crash, hang or leak
/// (`Fixtures/fuzz/regressions`).
struct FuzzInput: CustomTestStringConvertible, Sendable {
    let target: FuzzTarget
    let path: String
    var testDescription: String { "\(target.rawValue)/\(URL(fileURLWithPath: path).lastPathComponent)" }

    static func all(_ corpus: String) -> [FuzzInput] {
        FuzzTarget.allCases.flatMap { target in
            let folder = Fixtures.path("fuzz/\(corpus)/\(target.rawValue)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.sorted().map { FuzzInput(target: target, path: "\(folder)/\($0)") }
        }
    }
}

/// The smoke pass of the fuzzing (CI builds no sanitized fuzzer): every committed input runs through
/// the same target code the fuzzer drives. A crash ends the test process; a hang meets the time limit.
@Suite(.timeLimit(.minutes(1)))
struct FuzzCorpusTests {
    func replay(_ input: FuzzInput) throws -> (any Error)? {
        let work = TemporaryDirectory("kiln-fuzz-replay")
        let workspace = try FuzzWorkspace(input.target, folder: work.file("workspace"), fuzzFixtures: Fixtures.path("fuzz"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: input.path))
        do {
            try bytes.withUnsafeBytes { try workspace.run($0) }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: FuzzInput.all("seeds"))
    func aSeedIsReadWithoutAFault(_ input: FuzzInput) throws {
        _ = try replay(input)
    }

    /// Each hostile example and each input that once broke a reader is refused with one line naming the file.
    @Test(arguments: FuzzInput.all("hostile") + FuzzInput.all("regressions"))
    func aHostileInputIsOneLineNamingTheFile(_ input: FuzzInput) throws {
        let error = try #require(try replay(input) as? any InputError)
        let message = "\(error)".escapedForMessage(limit: 1000)
        #expect(message.contains(input.target.inputName.split(separator: "/").last!), "\(message)")
        #expect(!message.contains("\n"))
    }

    /// The small models the config, index and params targets read their inputs with are valid, so the
    /// fuzzer starts from inputs that reach the conversion plan.
    @Test(arguments: [(FuzzTarget.config, "llava"), (.config, "llava-llama3-rope"), (.index, "small-model"), (.params, "native")])
    func theSmallModelsAreRead(_ target: FuzzTarget, _ seed: String) throws {
        let error = try replay(FuzzInput(target: target, path: Fixtures.path("fuzz/seeds/\(target.rawValue)/\(seed)")))
        #expect(error == nil, "\(error.map { "\($0)" } ?? "")")
    }

    @Test func everyTargetHasSeeds() {
        let seeded = Set(FuzzInput.all("seeds").map(\.target))
        // The reference-cache seed needs Kiln's writer and is made by Scripts/fuzz/run.sh.
        #expect(seeded == Set(FuzzTarget.allCases).subtracting([.referenceCache]))
    }
}
