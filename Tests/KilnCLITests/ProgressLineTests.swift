import Foundation
import KilnTestSupport
import Testing

/// The progress line as a person sees it: in an 80-column terminal (a pseudo-terminal made by
/// `script`) every redraw fits one line, so the screen shows one line of progress that is erased
/// before the summary; on a pipe there is no progress at all.
@Suite struct ProgressLineTests {
    /// Runs `kiln` on a pseudo-terminal of `columns` columns; returns everything the terminal received.
    func runOnTerminal(_ arguments: [String], columns: Int) throws -> (status: Int32, screen: String) {
        let quoted = ([Fixtures.kilnExecutable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "stty cols \(columns) rows 24; exec " + quoted.joined(separator: " ")
        let result = try KilnProcess.run(executable: "/usr/bin/script", ["-qec", command, "/dev/null"])
        return (result.status, result.stdout)
    }

    /// What a terminal shows for `output`: carriage returns go to the left edge, `ESC[K` erases to the
    /// right, a line longer than the terminal wraps onto the next one.
    func render(_ output: String, columns: Int) -> [String] {
        var lines: [[Unicode.Scalar]] = [[]]
        var column = 0
        // Scalars, not Characters: Swift joins "\r\n" into one Character.
        var scalars = Array(output.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            switch c {
            case "\r": column = 0
            case "\n": lines.append([]); column = 0
            case "\u{1b}":
                // CSI: ESC [ parameters final-byte; only K (erase to the right) matters here.
                guard scalars.first == "[" else { continue }
                scalars.removeFirst()
                var final: Unicode.Scalar = " "
                while let next = scalars.popFirst() { if next.properties.isAlphabetic { final = next; break } }
                if final == "K" { lines[lines.count - 1].removeSubrange(min(column, lines[lines.count - 1].count)...) }
            default:
                if column == columns { lines.append([]); column = 0 }
                var line = lines[lines.count - 1]
                if column < line.count { line[column] = c } else { line.append(c) }
                lines[lines.count - 1] = line
                column += 1
            }
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.filter { !$0.isEmpty }
    }

    @Test(arguments: [80, 40, 132])
    func progressFitsTheTerminalAndIsErased(_ columns: Int) throws {
        let folder = TemporaryDirectory()
        let out = folder.file("m.gguf")
        let (status, screen) = try runOnTerminal(["convert", Fixtures.tinyPixtral, "-o", out, "--outtype", "f32", "-t", "1"], columns: columns)
        #expect(status == 0, "\(screen)")
        // Every redraw (what follows a carriage return) fits in the width, so none wraps.
        let draws = screen.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").flatMap { $0.split(separator: "\r") }
            .map { $0.replacingOccurrences(of: "\u{1b}[K", with: "") }
            .filter { $0.contains("█") || $0.contains("·") }
        #expect(!draws.isEmpty, "the progress line was drawn: \(screen.debugDescription)")
        for draw in draws {
            #expect(draw.count < columns, "\(draw.count) characters in \(columns) columns: \(draw)")
            #expect(draw.contains("%") && draw.contains("iB"), "percent and bytes: \(draw)")
        }
        // The screen: no progress left over, the note and the summary each on one line.
        let shown = render(screen, columns: columns)
        #expect(!shown.contains { $0.contains("█") || $0.contains("·") }, "the line is erased: \(shown)")
        #expect(shown.filter { $0.hasPrefix("wrote ") }.count == 1, "\(shown)")
        // Only the vision note and the summary remain (wrapped lines joined back).
        let joined = shown.joined()
        #expect(joined.hasPrefix("kiln: note: the vision tower") && joined.contains("projector filewrote \(out): "), "\(shown)")
    }

    /// A pipe or a log gets no progress and no carriage returns: only the summary and the vision note.
    @Test func nothingOnANonTerminal() throws {
        let folder = TemporaryDirectory()
        let result = try KilnProcess.run(["convert", Fixtures.tinyPixtral, "-o", folder.file("m.gguf")])
        #expect(result.status == 0)
        for text in [result.stdout, result.stderr] {
            #expect(!text.contains("\r") && !text.contains("█") && !text.contains("\u{1b}"), "\(text.debugDescription)")
        }
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("kiln: note: the vision tower"))
    }
}
