import Foundation

/// What Kiln knows about the terminal a person reads it on, and how it writes sizes and counts for people.
struct Terminal {
    static let isInteractive = isatty(2) != 0

    /// The terminal's width in columns: stderr's window size, else $COLUMNS, else 80.
    static var columns: Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// `text` followed by spaces up to `width` characters; a longer text is kept whole, never cut.
    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func byteCount(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.2f %@", value, units[unit])
    }

    static func count(_ n: Int) -> String {
        switch n {
        case 1_000_000_000...: String(format: "%.2fB", Double(n) / 1e9)
        case 1_000_000...: String(format: "%.2fM", Double(n) / 1e6)
        case 1_000...: String(format: "%.1fK", Double(n) / 1e3)
        default: "\(n)"
        }
    }
}
