import Foundation
import KilnCheckpoints

/// `general.name` and `general.size_label` as gguf-py derives them when a checkpoint has no model card.
enum ModelNaming {
    /// The model's name: `_name_or_path` when it is a hub id, else the folder name, title-cased
    /// (`tiny-pixtral` → `Tiny Pixtral`; versions, numbers and mixed-case words kept).
    static func title(for spec: ModelSpec) -> String {
        var id = (spec.path as NSString).lastPathComponent
        if let hubID = spec.configuration?["_name_or_path"]?.stringValue, !hubID.isEmpty, hubID.filter({ $0 == "/" }).count <= 1 {
            id = String(hubID.split(separator: "/").last ?? Substring(hubID))
        }
        if id.contains(" ") { return id }
        return id.replacingOccurrences(of: "-", with: " ").split(separator: " ").map { word in
            let w = String(word)
            let keep = w != w.lowercased() || w.first?.isNumber == true || w.range(of: #"^v\d+(\.\d+)*$"#, options: .regularExpression) != nil
            return keep ? w : titleCased(w)
        }.joined(separator: " ")
    }

    /// Python's `str.title()` for a lowercase word: letters after a non-letter start upper case.
    private static func titleCased(_ word: String) -> String {
        var out = ""
        var previousIsLetter = false
        for ch in word {
            out += previousIsLetter ? String(ch) : ch.uppercased()
            previousIsLetter = ch.isLetter
        }
        return out
    }

    /// gguf-py's `size_label`: the parameter count with at least two significant digits (`3.1M`, `12B`).
    static func sizeLabel(_ parameters: Int) -> String {
        let count = Double(parameters)
        let (scaled, suffix): (Double, String) = switch count {
        case _ where count > 1e12: (count * 1e-12, "T")
        case _ where count > 1e9: (count * 1e-9, "B")
        case _ where count > 1e6: (count * 1e-6, "M")
        default: (count * 1e-3, "K")
        }
        // Python rounds half to even; only the digit count depends on it here.
        let integerDigits = String(Int(scaled.rounded(.toNearestOrEven))).drop { $0 == "0" }.count
        let decimals = max(2 - integerDigits, 0)
        return String(format: "%.\(decimals)f", scaled) + suffix
    }
}
