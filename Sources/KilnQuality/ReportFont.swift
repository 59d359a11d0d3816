/// The glyphs the PNG report draws text with: DejaVu Sans rasterized at the report's sizes
/// (`Scripts/report/make_font.py`), so a PNG needs no font library and looks the same on every machine.
/// The SVG names the same family and measures text with these advances, so labels are placed alike.
struct ReportFont: Sendable {
    struct Glyph: Sendable {
        let advance: Double
        /// Offset of the bitmap's top-left corner from the pen, which stands on the baseline.
        let x: Int, y: Int
        let width: Int, height: Int
        /// Coverage 0…255, row by row.
        let coverage: [UInt8]
    }

    let size: Int
    let ascent: Int
    let descent: Int
    private let glyphs: [UInt32: Glyph]

    /// `glyphData`: one row per glyph, "code advance x y width height hexdigits" (4-bit coverage).
    init(size: Int, ascent: Int, descent: Int, glyphData: [String]) {
        self.size = size
        self.ascent = ascent
        self.descent = descent
        var glyphs: [UInt32: Glyph] = [:]
        for row in glyphData {
            let fields = row.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 7, let code = UInt32(fields[0]), let advance = Double(fields[1]), let x = Int(fields[2]),
                  let y = Int(fields[3]), let width = Int(fields[4]), let height = Int(fields[5]) else { continue }
            let coverage = fields[6].compactMap { $0.hexDigitValue.map { UInt8($0 * 17) } }
            guard coverage.count == width * height else { continue }
            glyphs[code] = Glyph(advance: advance, x: x, y: y, width: width, height: height, coverage: coverage)
        }
        self.glyphs = glyphs
    }

    /// The glyph of `scalar`, `?` for a character the report's font lacks.
    func glyph(_ scalar: Unicode.Scalar) -> Glyph {
        glyphs[scalar.value] ?? glyphs[63]!
    }

    func width(of text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + glyph($1).advance }
    }
}
