import Foundation

/// A picture made of rectangles, straight lines and text that writes itself as SVG and rasterizes
/// itself to RGB pixels for PNG, so both files show the same drawing. Lines are horizontal or vertical
/// (all a chart needs); text is measured with the PNG's own font so nothing is placed by guess.
struct ReportCanvas {
    struct Color: Sendable, Equatable {
        let red: UInt8, green: UInt8, blue: UInt8
        init(_ hex: UInt32) {
            red = UInt8(hex >> 16 & 0xff)
            green = UInt8(hex >> 8 & 0xff)
            blue = UInt8(hex & 0xff)
        }
        var svg: String { String(format: "#%02x%02x%02x", red, green, blue) }
        static let black = Color(0x000000), white = Color(0xffffff), grey = Color(0x777777), lightGrey = Color(0xdddddd)
    }

    enum Face { case regular, bold, title }
    enum Anchor { case start, middle, end }

    private enum Shape {
        case rect(x: Double, y: Double, width: Double, height: Double, fill: Color, tooltip: String?)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double, dash: Double?)
        case text(x: Double, y: Double, text: String, face: Face, color: Color, anchor: Anchor)
    }

    let width: Int
    private(set) var height: Int
    private var shapes: [Shape] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Grows the picture downwards (a report knows its height once laid out).
    mutating func extend(to height: Int) { self.height = max(self.height, height) }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: Color, tooltip: String? = nil) {
        shapes.append(.rect(x: x, y: y, width: width, height: height, fill: fill, tooltip: tooltip))
    }

    /// A horizontal or vertical line; `dash` is the length of each dash and gap.
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: Color = .black, width: Double = 1, dash: Double? = nil) {
        precondition(x1 == x2 || y1 == y2, "report lines are horizontal or vertical")
        shapes.append(.line(x1: x1, y1: y1, x2: x2, y2: y2, color: color, width: width, dash: dash))
    }

    /// Text standing on the baseline `y`.
    mutating func text(_ x: Double, _ y: Double, _ text: String, face: Face = .regular, color: Color = .black, anchor: Anchor = .start) {
        shapes.append(.text(x: x, y: y, text: text, face: face, color: color, anchor: anchor))
    }

    static func font(_ face: Face) -> ReportFont {
        switch face {
        case .regular: .regular
        case .bold: .bold
        case .title: .title
        }
    }

    func textWidth(_ text: String, _ face: Face = .regular) -> Double { Self.font(face).width(of: text) }

    // MARK: SVG

    var svg: String {
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Verdana, sans-serif">
        <rect width="100%" height="100%" fill="white"/>

        """
        func n(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v) }
        for shape in shapes {
            switch shape {
            case let .rect(x, y, w, h, fill, tooltip):
                let body = tooltip.map { "><title>\(Self.escape($0))</title></rect>" } ?? "/>"
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill.svg)\"\(body)\n"
            case let .line(x1, y1, x2, y2, color, lineWidth, dash):
                let dashed = dash.map { " stroke-dasharray=\"\(n($0)) \(n($0))\"" } ?? ""
                out += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(color.svg)\" stroke-width=\"\(n(lineWidth))\"\(dashed)/>\n"
            case let .text(x, y, text, face, color, anchor):
                let anchorName = switch anchor { case .start: "start"; case .middle: "middle"; case .end: "end" }
                let weight = face == .regular ? "" : " font-weight=\"bold\""
                out += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(Self.font(face).size)\"\(weight) fill=\"\(color.svg)\" text-anchor=\"\(anchorName)\">\(Self.escape(text))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    // MARK: Pixels

    /// The picture as 8-bit RGB rows on white.
    var rgb: [UInt8] {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        func blend(_ x: Int, _ y: Int, _ color: Color, _ coverage: Int) {
            guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
            let i = (y * width + x) * 3
            for (channel, value) in [color.red, color.green, color.blue].enumerated() {
                let old = Int(pixels[i + channel])
                pixels[i + channel] = UInt8(old + (Int(value) - old) * coverage / 255)
            }
        }
        func fill(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ color: Color) {
            let (left, right) = (Int(x0.rounded()), Int(x1.rounded()))
            let (top, bottom) = (Int(y0.rounded()), Int(y1.rounded()))
            guard left < right, top < bottom else { return }
            for y in max(top, 0)..<min(bottom, height) {
                for x in max(left, 0)..<min(right, width) { blend(x, y, color, 255) }
            }
        }
        for shape in shapes {
            switch shape {
            case let .rect(x, y, w, h, color, _):
                fill(x, y, x + w, y + h, color)
            case let .line(x1, y1, x2, y2, color, lineWidth, dash):
                // A line of width w around a coordinate c covers c - w/2 … c + w/2, as in SVG.
                let horizontal = y1 == y2
                let (start, end) = horizontal ? (min(x1, x2), max(x1, x2)) : (min(y1, y2), max(y1, y2))
                var position = start
                let step = dash ?? (end - start)
                while position < end {
                    let stop = min(position + step, end)
                    if horizontal {
                        fill(position, y1 - lineWidth / 2, stop, y1 + lineWidth / 2, color)
                    } else {
                        fill(x1 - lineWidth / 2, position, x1 + lineWidth / 2, stop, color)
                    }
                    position = stop + (dash ?? 0)
                    if dash == nil { break }
                }
            case let .text(x, y, text, face, color, anchor):
                let font = Self.font(face)
                let textWidth = font.width(of: text)
                var pen = switch anchor { case .start: x; case .middle: x - textWidth / 2; case .end: x - textWidth }
                let baseline = Int(y.rounded())
                for scalar in text.unicodeScalars {
                    let glyph = font.glyph(scalar)
                    let left = Int(pen.rounded()) + glyph.x
                    for row in 0..<glyph.height {
                        for column in 0..<glyph.width {
                            blend(left + column, baseline + glyph.y + row, color, Int(glyph.coverage[row * glyph.width + column]))
                        }
                    }
                    pen += glyph.advance
                }
            }
        }
        return pixels
    }
}
