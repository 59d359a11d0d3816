import Foundation
import KilnCore

/// The one style of every `--json` output: one object per run, on one line of standard output (nothing
/// else goes there), snake_case keys, numbers as Swift prints them and null for a number that is not
/// finite. A record stands alone: it names its inputs and settings next to its results.
extension JSON {
    static func real(_ value: Double) -> JSON { value.isFinite ? .number(String(value)) : .null }

    static func integer(_ value: Int) -> JSON { .number(String(value)) }

    /// `attentionOutput`, `max-kld`, `vision max-kld` → `attention_output`, `max_kld`, `vision_max_kld`.
    static func key(_ name: String) -> String {
        var out = ""
        for character in name {
            if character == "-" || character == " " {
                out += "_"
            } else if character.isUppercase, let last = out.last, last.isLowercase || last.isNumber {
                out += "_" + character.lowercased()
            } else {
                out += character.lowercased()
            }
        }
        return out
    }

    /// Writes the object to standard output, one line.
    func printLine() { print(serialized) }
}
