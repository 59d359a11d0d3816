import Foundation
import KilnQuality
import KilnTestSupport
import Testing

/// The built-in calibration text (Scripts/fixtures/make_calibration_text.py) stays small, varied and
/// disjoint from the evaluation text, so an importance matrix made from it never saw what verify scores.
@Suite struct CalibrationTextTests {
    @Test func sharesNoFortyCharacterRunWithTheEvaluationText() throws {
        let evaluation = Array(try String(contentsOfFile: Fixtures.path("text/eval.txt"), encoding: .utf8).utf8)
        let width = 40
        var runs = Set<ArraySlice<UInt8>>()
        for start in 0...(evaluation.count - width) { runs.insert(evaluation[start..<start + width]) }
        let calibration = Array(DefaultCalibrationText.text.utf8)
        let shared = (0...(calibration.count - width)).first { runs.contains(calibration[$0..<$0 + width]) }
        #expect(shared == nil, "shares \(shared.map { String(decoding: calibration[$0..<$0 + width], as: UTF8.self) } ?? "")")
    }

    @Test func isSmallAndHoldsEveryKindOfText() {
        let text = DefaultCalibrationText.text
        #expect((100_000...200_000).contains(text.utf8.count))
        // Prose, chat turns, code, Spanish, German (XZ Utils' messages), Chinese, Japanese, Korean.
        for sample in ["The Book of Proverbs", "Assistant:", "def digest(key, msg, digest):", "EN el principio", "Optionen", "语言", "開発", "파이썬"] {
            #expect(text.contains(sample), "\(sample)")
        }
    }
}
