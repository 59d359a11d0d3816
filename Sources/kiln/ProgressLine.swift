import Foundation
import KilnCore

/// One line of progress on stderr for a person at a terminal, redrawn in place: it fits the terminal's
/// width (never wraps, so an 80-column terminal shows one line), weighs each step by its bytes, shows
/// throughput and the time left, and is erased when the work ends. Nothing at all when stderr is not
/// a terminal, so logs and pipes stay clean.
///
/// Used from the thread that runs the command (the writers call their progress closures there).
final class ProgressLine {
    /// Whether a line is on the screen now, so an error or a note can erase it first.
    nonisolated(unsafe) private(set) static var isShowing = false

    /// What `update` counts: bytes (written, read), or whole pieces of work such as chunks.
    enum Unit {
        case bytes
        case items(String)
    }

    private let unit: Unit
    /// What the line counts, written before the bar when one command has several passes (`reference`).
    private let title: String?
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    /// Redraws closer together than this are skipped; a person cannot read them and a slow terminal lags.
    private let interval = Duration.milliseconds(80)

    init(unit: Unit = .bytes, title: String? = nil) {
        self.unit = unit
        self.title = title
    }

    /// `done` of `total` (in the line's unit), `label` naming the piece just finished (a tensor).
    func update(_ done: Int, of total: Int, _ label: String) {
        guard Terminal.isInteractive, due(final: done >= total) else { return }
        draw(Self.render(done: done, total: total, unit: unit, elapsed: started.duration(to: .now).seconds, label: label,
                         title: title, columns: Terminal.columns))
    }

    /// Erases the line; what is printed next starts at the left edge of a clean line.
    func finish() { Self.erase() }

    static func erase() {
        guard isShowing else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
        isShowing = false
    }

    private func due(final: Bool) -> Bool {
        let now = ContinuousClock.now
        if !final, let lastDrawn, lastDrawn.duration(to: now) < interval { return false }
        lastDrawn = now
        return true
    }

    private func draw(_ text: String) {
        // Carriage return, the text, then erase what a longer earlier line left to the right.
        FileHandle.standardError.write(Data("\r\(text)\u{1b}[K".utf8))
        Self.isShowing = true
    }

    /// `████████······  45% 120.3 MiB/456.0 MiB 35.2 MiB/s 0:09 left blk.3.ffn_down.weight`, after the
    /// title when there is one, at most `columns - 1` characters: the last column is left free because
    /// some terminals wrap on it.
    static func render(done: Int, total: Int, unit: Unit, elapsed: Double, label: String, title: String? = nil, columns: Int) -> String {
        let fraction = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 1
        let room = max(columns - 1, 20)
        let barWidth = min(30, max(8, room / 4))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        var line = (title.map { $0 + " " } ?? "") + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled)
        line += String(format: " %3d%% ", Int(fraction * 100))
        switch unit {
        case .bytes: line += "\(Terminal.byteCount(done))/\(Terminal.byteCount(total))"
        case let .items(name): line += "\(done)/\(total) \(name)"
        }
        if elapsed >= 0.3, done > 0 {
            let rate = Double(done) / elapsed
            switch unit {
            case .bytes: line += " \(Terminal.byteCount(Int(rate)))/s"
            case let .items(name): line += String(format: " %.2f %@/s", rate, name)
            }
            if done < total { line += " \(clock(Double(total - done) / rate)) left" }
        }
        return fit(line + " " + label.escapedForMessage(limit: 200), columns: room + 1)
    }

    /// Cut to `columns - 1` characters, marking a cut with an ellipsis.
    static func fit(_ text: String, columns: Int) -> String {
        let room = max(columns - 1, 1)
        return text.count <= room ? text : String(text.prefix(room - 1)) + "…"
    }

    /// `0:09`, `12:34`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? max(seconds, 0).rounded() : 0)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
