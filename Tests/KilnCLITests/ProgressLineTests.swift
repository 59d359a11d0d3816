import Foundation
import KilnCore
import KilnTestSupport
import Testing

/// The progress line as a person sees it: in an 80-column terminal (a pseudo-terminal made by
/// `script`) every redraw fits one line, so the screen shows one line of progress that is erased
/// before the summary; on a pipe there is no progress at all.
@Suite struct ProgressLineTests {
    /// Runs `kiln` on a pseudo-terminal of `columns` columns, standard output to `stdout` when given;
    /// returns everything the terminal received.
    func runOnTerminal(_ arguments: [String], columns: Int, stdout: String? = nil) throws -> (status: Int32, screen: String) {
        let quoted = ([Fixtures.kilnExecutable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "stty cols \(columns) rows 24; exec " + quoted.joined(separator: " ") + (stdout.map { " > '\($0)'" } ?? "")
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

    /// The redraws of the progress line in what a terminal received, escape codes removed.
    func draws(_ screen: String) -> [String] {
        screen.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").flatMap { $0.split(separator: "\r") }
            .map { $0.replacingOccurrences(of: "\u{1b}[K", with: "") }
            .filter { $0.contains("█") || $0.contains("·") }
    }

    /// `kiln verify --json` at 80 columns: each pass (reference chunks, candidate chunks with the running
    /// KL divergence, the weights by bytes) draws a bar with its own count, throughput and time left on
    /// one line that is redrawn in place and erased; standard output holds the JSON object alone.
    @Test func verifyDrawsEachPassOnOneLine() throws {
        let folder = TemporaryDirectory()
        let candidate = folder.file("q4.gguf"), json = folder.file("out.json")
        #expect(try KilnProcess.run(["quantize", Fixtures.wideLlama, "-o", candidate, "--type", "Q4_K_M"]).status == 0)
        let (status, screen) = try runOnTerminal(["verify", "--reference", Fixtures.wideLlama, "-m", candidate, "-c", "128", "--chunks", "6",
                                                  "--reference-cache", folder.file("ref.kref"), "--tensors", "--json", "-t", "2"],
                                                 columns: 80, stdout: json)
        #expect(status == 0, "\(screen)")
        let draws = draws(screen)
        for draw in draws { #expect(draw.count < 80, "\(draw.count) characters: \(draw)") }
        for (pass, unit) in [("reference", "/6 chunks"), ("candidate", "/6 chunks"), ("weights", "iB/")] {
            let mine = draws.filter { $0.hasPrefix(pass + " ") }
            #expect(mine.contains { $0.contains(" 100% ") && $0.contains(unit) }, "\(pass) reaches 100 %: \(draws)")
        }
        #expect(draws.contains { $0.hasPrefix("candidate ") && $0.contains("mean KLD") }, "\(draws)")
        // The passes come in order, each redrawn in place (a carriage return before every draw, no newline).
        let passes = draws.map { String($0.prefix { $0 != " " }) }
        #expect(passes.first == "reference" && passes.last == "weights" && passes.firstIndex(of: "weights")! > passes.lastIndex(of: "candidate")!)
        let pieces = screen.split(separator: "\r").filter { $0.contains("█") || $0.contains("·") }
        #expect(pieces.allSatisfy { $0.hasSuffix("\u{1b}[K") && !$0.contains("\n") }, "no newline between draws, each clears to the right")
        let shown = render(screen, columns: 80)
        #expect(!shown.contains { $0.contains("█") || $0.contains("·") }, "the line is erased: \(shown)")
        #expect(shown.first?.hasPrefix("\(candidate) vs ") == true, "the table starts on a clean line: \(shown)")
        let object = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: json))))
        #expect(object["mean_kld"]?.doubleValue != nil, "standard output is the JSON object alone")
        // On a pipe: the same run draws nothing, standard error holds the table alone.
        let piped = try KilnProcess.run(["verify", "--reference", Fixtures.wideLlama, "-m", candidate, "-c", "128", "--chunks", "6",
                                         "--reference-cache", folder.file("ref.kref"), "--tensors", "--json", "-t", "2"])
        #expect(piped.status == 0 && (try? JSON.parse(piped.stdout)) != nil)
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("█") && !piped.stderr.contains("\u{1b}") && piped.stderr.hasPrefix("\(candidate) vs "))
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
