import Foundation
@testable import KilnConversion
import KilnTestSupport
import Testing

/// The model-card front matter reader. Whole files with cards are pinned against the converter in
/// ConverterRuleGoldenTests ("model-card", "model-card-urls"); these cover the YAML forms and the
/// refusals one by one.
@Suite struct ModelCardTests {
    typealias Node = YAMLFrontMatter.Node

    @Test(arguments: [
        ("a: b", Node.mapping([.init(key: "a", value: .scalar("b", plain: true))])),
        ("a: 'it''s' # c", .mapping([.init(key: "a", value: .scalar("it's", plain: false))])),
        (#"a: "x\u00e9\ty""#, .mapping([.init(key: "a", value: .scalar("x\u{e9}\ty", plain: false))])),
        ("a:\n- x\n- y", .mapping([.init(key: "a", value: .sequence([.scalar("x", plain: true), .scalar("y", plain: true)]))])),
        ("a:\n  - x\n  -\n    k: v", .mapping([.init(key: "a", value: .sequence([.scalar("x", plain: true),
                                                                                  .mapping([.init(key: "k", value: .scalar("v", plain: true))])]))])),
        ("a: [x, 'y z', {k: v}]", .mapping([.init(key: "a", value: .sequence([.scalar("x", plain: true), .scalar("y z", plain: false),
                                                                              .mapping([.init(key: "k", value: .scalar("v", plain: true))])]))])),
        ("a: [x,\n  y]\nb: c", .mapping([.init(key: "a", value: .sequence([.scalar("x", plain: true), .scalar("y", plain: true)])),
                                        .init(key: "b", value: .scalar("c", plain: true))])),
        ("a: |\n  one\n\n  two\n\nb: 1", .mapping([.init(key: "a", value: .scalar("one\n\ntwo\n", plain: false)),
                                                  .init(key: "b", value: .scalar("1", plain: true))])),
        ("a: >-\n  one\n  two\n\n  three", .mapping([.init(key: "a", value: .scalar("one two\nthree", plain: false))])),
        ("a: plain\n  continued", .mapping([.init(key: "a", value: .scalar("plain continued", plain: true))])),
        ("a: 1\na: 2", .mapping([.init(key: "a", value: .scalar("2", plain: true))])),
        ("- k: v\n  j: w", .sequence([.mapping([.init(key: "k", value: .scalar("v", plain: true)), .init(key: "j", value: .scalar("w", plain: true))])])),
        ("", .mapping([])),
    ])
    func parsesTheFormsCardsUse(_ yaml: String, _ expected: Node) throws {
        #expect(try YAMLFrontMatter.parse(yaml) == expected)
    }

    @Test(arguments: [
        ("a: &anchor x", "anchors"), ("a: *alias", "anchors"), ("a: !!str x", "anchors"), ("a: [x, y", "unclosed"),
        ("a: \"x", "unclosed"), ("a: b: c", "mapping is not allowed"), ("a: b\n    c: d", "indentation"),
        (#"a: "\q""#, "escape"), ("a: |x\n  y", "block scalar header"),
        (String(repeating: "- ", count: 100) + "x", "nested deeper"), ("a: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nested deeper"),
    ])
    func refusesWhatItCannotReadFaithfully(_ yaml: String, _ says: String) {
        #expect {
            try YAMLFrontMatter.parse(yaml)
        } throws: { error in
            (error as? YAMLFrontMatter.SyntaxError)?.message.contains(says) == true
        }
    }

    /// Damaged cards (bytes flipped, lines cut, brackets and quotes thrown in) either parse or fail
    /// with a SyntaxError: never a trap or a hang.
    @Test func damagedCardsNeverTrap() throws {
        let card = try String(contentsOfFile: Fixtures.path("converter-rules/model-card/README.md"), encoding: .utf8)
        var state: UInt64 = 20261130  // a fixed linear congruential sequence, so a failure reproduces
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let noise: [Character] = ["[", "]", "{", "}", "\"", "'", "-", ":", " ", "\n", "#", "|", ">", "\t", "\\", "&", "é"]
        for _ in 0..<4000 {
            var chars = Array(card)
            for _ in 0..<Int(next() % 8 + 1) {
                let at = Int(next() % UInt64(chars.count))
                switch next() % 3 {
                case 0: chars[at] = noise[Int(next() % UInt64(noise.count))]
                case 1: chars.insert(noise[Int(next() % UInt64(noise.count))], at: at)
                default: chars.removeSubrange(at..<min(chars.count, at + Int(next() % 40)))
                }
                if chars.isEmpty { chars = ["a"] }
            }
            do {
                _ = try YAMLFrontMatter.parse(String(chars))
            } catch is YAMLFrontMatter.SyntaxError {
            }
        }
    }

    /// Through the CLI: one line naming README.md, exit 2, no output written.
    @Test func aBrokenCardIsOneLineAndExitTwo() throws {
        let folder = TemporaryDirectory()
        let model = folder.file("model")
        try SyntheticLlama.build(case: "model-card", into: model)
        try "---\nlicense: [mit\n---\n".write(toFile: "\(model)/README.md", atomically: true, encoding: .utf8)
        let out = folder.file("out.gguf")
        let run = try KilnProcess.run(["convert", model, "-o", out])
        #expect(run.status == 2 && !run.signaled)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("README.md: model card front matter, line 2: unclosed '['"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// No README.md, one without front matter, or front matter that is not a mapping: no card keys.
    @Test(arguments: [nil, "# Just a title\n", "---\n- a list\n---\n"])
    func withoutACardTheNamingIsTheFolders(_ readme: String?) throws {
        let folder = TemporaryDirectory()
        if let readme { try readme.write(toFile: folder.file("README.md"), atomically: true, encoding: .utf8) }
        #expect(try ModelCard.read(folder: folder.path) == nil)
    }
}
