import Foundation
import KilnImages

/// The one-page picture of a verification, as SVG or PNG: the verdict and every threshold, the inputs,
/// the perplexities, the distribution of per-position KL divergence with its mean, median, p99 and the
/// limit, each layer's worst weight error with the tensor and its type, and each tensor type's share of
/// the bytes with its worst error. The charts use fixed scales (KLD 1e-6…10 nats, relative error
/// 1e-4…1, share 0…100 %), so reports of different files compare by eye: a Q2_K report looks worse
/// than a Q4_K_M one.
public struct DivergenceReport {
    public var title: String
    /// Lines naming the inputs (types, sizes, context, chunks, the text), written under the title.
    public var details: [String]
    public var summary: DivergenceSummary
    /// Each scored position's KL divergence.
    public var divergences: [Float]
    public var tensors: [TensorDeviation]
    public var checks: [QualityGate.Check]

    public init(title: String, details: [String], summary: DivergenceSummary, divergences: [Float],
                tensors: [TensorDeviation], checks: [QualityGate.Check]) {
        self.title = title
        self.details = details
        self.summary = summary
        self.divergences = divergences
        self.tensors = tensors
        self.checks = checks
    }

    public var svg: String { canvas.svg }

    /// The same picture as PNG bytes; nil only when libpng fails (out of memory).
    public var png: [UInt8]? {
        let picture = canvas
        return PNGEncoder.encode(rgb: picture.rgb, width: picture.width, height: picture.height)
    }

    static let width = 760.0, margin = 24.0
    static let passColor = ReportCanvas.Color(0x2e7d32), failColor = ReportCanvas.Color(0xc62828)
    static let barColor = ReportCanvas.Color(0x4a7fb5), weightColor = ReportCanvas.Color(0xb5654a)
    static let meanColor = ReportCanvas.Color(0xd62728), medianColor = ReportCanvas.Color(0x2ca02c), p99Color = ReportCanvas.Color(0xff7f0e)
    static let limitColor = ReportCanvas.Color(0x6a1b9a)

    var canvas: ReportCanvas {
        var c = ReportCanvas(width: Int(Self.width), height: 100)
        var y = header(&c)
        y = histogram(&c, top: y + 16)
        if tensors.contains(where: { $0.relativeRMSE != nil }) { y = layerPanel(&c, top: y + 16) }
        if !tensors.isEmpty { y = typePanel(&c, top: y + 16) }
        c.extend(to: Int(y + Self.margin))
        return c
    }

    // MARK: Header: verdict, inputs, results, thresholds

    private func header(_ c: inout ReportCanvas) -> Double {
        let left = Self.margin, right = Self.width - Self.margin
        let (verdict, color): (String, ReportCanvas.Color) = checks.isEmpty ? ("NO THRESHOLDS", .grey)
            : checks.allSatisfy(\.passed) ? ("PASS", Self.passColor) : ("FAIL", Self.failColor)
        let badge = c.textWidth(verdict, .title) + 20
        c.rect(right - badge, 12, badge, 28, fill: color)
        c.text(right - badge / 2, 32, verdict, face: .title, color: .white, anchor: .middle)
        c.text(left, 32, Self.fitted(title, width: right - badge - 12 - left, face: .title, canvas: c), face: .title)
        var y = 56.0
        for line in details {
            c.text(left, y, Self.fitted(line, width: right - left, face: .regular, canvas: c), color: .grey)
            y += 16
        }
        let s = summary
        y += 4
        c.text(left, y, "Perplexity  candidate \(Self.fixed(s.candidatePPL)) ± \(Self.fixed(s.candidatePPLError))   reference "
               + "\(Self.fixed(s.referencePPL)) ± \(Self.fixed(s.referencePPLError))   ratio \(String(format: "%.4f", s.pplRatio))")
        y += 16
        c.text(left, y, "KL divergence  mean \(Self.format(s.meanKLD)) ± \(Self.format(s.meanKLDError))   median \(Self.format(s.medianKLD))   "
               + "p99 \(Self.format(s.p99KLD))   max \(Self.format(s.maxKLD))")
        y += 16
        c.text(left, y, "Same top token  \(String(format: "%.2f ± %.2f", s.top1Agreement * 100, s.top1AgreementError * 100)) %   "
               + "over \(s.tokens) positions")
        y += 8
        if checks.isEmpty {
            y += 18
            c.text(left, y, "No thresholds were given (--max-kld, --max-ppl-increase, --min-top1).", color: .grey)
        }
        for check in checks {
            y += 18
            c.text(left, y, check.passed ? "pass" : "FAIL", face: .bold, color: check.passed ? Self.passColor : Self.failColor)
            c.text(left + 40, y, check.description)
        }
        return y
    }

    // MARK: KL divergence histogram

    /// Log-spaced bins from 1e-6 to 10 nats; smaller values are counted in the first bin.
    static let kldDecades = (low: -6, high: 1)

    private func histogram(_ c: inout ReportCanvas, top: Double) -> Double {
        let left = 80.0, right = Self.width - Self.margin
        let plotTop = top + 40, plotBottom = top + 240
        c.text(Self.margin, top + 14, "KL divergence per position (nats, log scale)", face: .bold)
        let bins = 56
        let (low, high) = (Double(Self.kldDecades.low), Double(Self.kldDecades.high))
        var counts = [Int](repeating: 0, count: bins)
        for value in divergences {
            let exponent = log10(max(Double(value), 1e-12))
            let bin = Int(((exponent - low) / (high - low) * Double(bins)).rounded(.down))
            counts[min(max(bin, 0), bins - 1)] += 1
        }
        func x(_ kld: Double) -> Double {
            left + (min(max(log10(max(kld, 1e-12)), low), high) - low) / (high - low) * (right - left)
        }
        // A count axis with round steps, so the bars can be read.
        let tallest = max(counts.max() ?? 1, 1)
        let step = Self.niceStep(Double(tallest) / 4)
        let axisTop = (Double(tallest) / step).rounded(.up) * step
        func y(_ count: Double) -> Double { plotBottom - count / axisTop * (plotBottom - plotTop) }
        var tick = 0.0
        while tick <= axisTop + step / 2 {
            c.line(left, y(tick), right, y(tick), color: .lightGrey)
            c.text(left - 6, y(tick) + 4, String(Int(tick)), anchor: .end)
            tick += step
        }
        c.text(left - 6, plotTop - 10, "positions", color: .grey, anchor: .end)
        let barWidth = (right - left) / Double(bins)
        for (i, count) in counts.enumerated() where count > 0 {
            c.rect(left + Double(i) * barWidth + 0.5, y(Double(count)), barWidth - 1, plotBottom - y(Double(count)), fill: Self.barColor,
                   tooltip: "\(count) positions")
        }
        c.line(left, plotBottom, right, plotBottom)
        c.line(left, plotTop, left, plotBottom)
        for exponent in Self.kldDecades.low...Self.kldDecades.high {
            let px = x(pow(10, Double(exponent)))
            c.line(px, plotBottom, px, plotBottom + 5)
            c.text(px, plotBottom + 18, Self.decade(exponent), anchor: .middle)
        }
        c.text((left + right) / 2, plotBottom + 34, "KL divergence (nats); values below 1e-6 are counted in the first bar", color: .grey,
               anchor: .middle)
        // The statistics as dashed lines, the limit as a solid one; a legend names them, so labels never overlap.
        var legend: [(String, ReportCanvas.Color, Double?)] = [
            ("mean \(Self.format(summary.meanKLD))", Self.meanColor, 4),
            ("median \(Self.format(summary.medianKLD))", Self.medianColor, 4),
            ("p99 \(Self.format(summary.p99KLD))", Self.p99Color, 4),
        ]
        for (value, (_, color, dash)) in zip([summary.meanKLD, summary.medianKLD, summary.p99KLD], legend) {
            c.line(x(value), plotTop, x(value), plotBottom, color: color, width: 1.5, dash: dash)
        }
        if let limit = checks.first(where: { $0.name == "max-kld" }) {
            c.line(x(limit.limit), plotTop - 6, x(limit.limit), plotBottom, color: Self.limitColor, width: 2)
            legend.append(("max-kld limit \(Self.format(limit.limit))", Self.limitColor, nil))
        }
        var lx = left
        for (label, color, dash) in legend {
            c.line(lx, top + 29, lx + 22, top + 29, color: color, width: 2, dash: dash.map { _ in 3 })
            c.text(lx + 28, top + 33, label)
            lx += 28 + c.textWidth(label) + 18
        }
        return plotBottom + 40
    }

    // MARK: Weight error per layer

    private func layerPanel(_ c: inout ReportCanvas, top: Double) -> Double {
        let rows = Self.rows(tensors)
        let labelRight = 112.0, barLeft = 120.0, barRight = 440.0, textLeft = 452.0
        let rowHeight = 15.0
        let (low, high) = (-4.0, 0.0)
        c.text(Self.margin, top + 14, "Worst relative weight error per layer: RMSE / RMS of the reference weights", face: .bold)
        c.text(Self.margin, top + 30, "log scale 1e-4 … 1, the same for every file; the tensor and its type on the right", color: .grey)
        let axisY = top + 52
        func x(_ error: Double) -> Double {
            barLeft + (min(max(log10(max(error, 1e-12)), low), high) - low) / (high - low) * (barRight - barLeft)
        }
        let bottom = axisY + 6 + Double(rows.count) * rowHeight
        for exponent in Int(low)...Int(high) {
            let px = x(pow(10, Double(exponent)))
            c.line(px, axisY, px, bottom, color: .lightGrey)
            c.text(px, axisY - 4, Self.decade(exponent), anchor: .middle)
        }
        c.text(textLeft, axisY - 4, "worst tensor, type, error", color: .grey)
        for (index, row) in rows.enumerated() {
            let baseline = axisY + 6 + Double(index) * rowHeight + 11
            c.text(labelRight, baseline, row.label, anchor: .end)
            let length = x(row.error) - barLeft
            if length > 0 {
                c.rect(barLeft, baseline - 10, length, 11, fill: Self.weightColor, tooltip: "\(row.label): \(Self.format(row.error))")
            }
            c.text(textLeft, baseline, "\(row.tensor)  \(row.worst.type)  \(Self.format(row.error))")
        }
        c.line(barLeft, axisY, barLeft, bottom)
        return bottom
    }

    // MARK: Bytes per type

    /// One row per tensor type, most bytes first: a bar of its share of the tensor bytes, then its
    /// tensor count, bits per weight and worst tensor.
    private func typePanel(_ c: inout ReportCanvas, top: Double) -> Double {
        let types = TypeShare.of(tensors)
        let total = Double(max(types.reduce(0) { $0 + $1.bytes }, 1))
        let labelRight = 112.0, barLeft = 120.0, barRight = 340.0
        let shareRight = 420.0, countRight = 480.0, bitsRight = 536.0, worstLeft = 552.0
        let rowHeight = 15.0
        c.text(Self.margin, top + 14, "Where the bytes went: each tensor type's share of the tensor bytes", face: .bold)
        c.text(Self.margin, top + 30, "linear scale 0 … 100 %; the worst error is the relative weight error above", color: .grey)
        let axisY = top + 52
        func x(_ share: Double) -> Double { barLeft + share * (barRight - barLeft) }
        let bottom = axisY + 6 + Double(types.count) * rowHeight
        for percent in stride(from: 0, through: 100, by: 25) {
            let px = x(Double(percent) / 100)
            c.line(px, axisY, px, bottom, color: .lightGrey)
            c.text(px, axisY - 4, "\(percent) %", anchor: .middle)
        }
        for (text, right) in [("share", shareRight), ("tensors", countRight), ("bits/w", bitsRight)] {
            c.text(right, axisY - 4, text, color: .grey, anchor: .end)
        }
        c.text(worstLeft, axisY - 4, "worst tensor, error", color: .grey)
        for (index, type) in types.enumerated() {
            let baseline = axisY + 6 + Double(index) * rowHeight + 11
            let share = Double(type.bytes) / total
            c.text(labelRight, baseline, type.type, anchor: .end)
            if share > 0 {
                c.rect(barLeft, baseline - 10, max(x(share) - barLeft, 1), 11, fill: Self.barColor,
                       tooltip: "\(type.type): \(String(format: "%.1f", share * 100)) % of the tensor bytes")
            }
            c.text(shareRight, baseline, String(format: "%.1f %%", share * 100), anchor: .end)
            c.text(countRight, baseline, "\(type.tensors)", anchor: .end)
            c.text(bitsRight, baseline, String(format: "%.2f", type.bitsPerWeight), anchor: .end)
            if let worst = type.worst, let error = worst.relativeRMSE {
                c.text(worstLeft, baseline, Self.fitted("\(Self.shortName(worst.name))  \(Self.format(error))", width: Self.width - Self.margin - worstLeft,
                                                        face: .regular, canvas: c))
            }
        }
        c.line(barLeft, axisY, barLeft, bottom)
        return bottom
    }

    struct Row {
        /// `layer 7`, or the tensor's own name outside the layers (`token_embd`).
        let label: String
        /// The worst tensor's name within its layer (`ffn_down`).
        let tensor: String
        let worst: TensorDeviation
        var error: Double { worst.relativeRMSE ?? 0 }
    }

    /// Tensors outside the layers first (by name), then each decoder layer (`blk.N.`) in order, each
    /// with its largest relative error; tensors without a measured error are left out.
    static func rows(_ tensors: [TensorDeviation]) -> [Row] {
        var layers: [Int: TensorDeviation] = [:]
        var others: [TensorDeviation] = []
        for tensor in tensors where tensor.relativeRMSE != nil {
            guard tensor.name.hasPrefix("blk."), let layer = Int(tensor.name.dropFirst(4).prefix { $0 != "." }) else {
                others.append(tensor)
                continue
            }
            if tensor.relativeRMSE! > layers[layer]?.relativeRMSE ?? -1 { layers[layer] = tensor }
        }
        func short(_ name: String) -> String {
            var name = Substring(name)
            if name.hasPrefix("blk.") { name = name.drop { $0 != "." }.dropFirst().drop { $0 != "." }.dropFirst() }
            return String(name.hasSuffix(".weight") ? name.dropLast(7) : name)
        }
        return others.sorted { $0.name < $1.name }.map { Row(label: short($0.name), tensor: short($0.name), worst: $0) }
            + layers.sorted { $0.key < $1.key }.map { Row(label: "layer \($0.key)", tensor: short($0.value.name), worst: $0.value) }
    }

    // MARK: Formatting

    /// `blk.0.ffn_down.weight` → `blk.0.ffn_down`.
    static func shortName(_ name: String) -> String { name.hasSuffix(".weight") ? String(name.dropLast(7)) : name }

    static func format(_ v: Double) -> String { String(format: v < 0.01 ? "%.6f" : "%.4f", v) }

    static func fixed(_ v: Double) -> String { String(format: "%.4f", v) }

    /// `1e-6`, …, `0.01`, `0.1`, `1`, `10`.
    static func decade(_ exponent: Int) -> String {
        switch exponent {
        case -2: "0.01"
        case -1: "0.1"
        case 0: "1"
        case 1: "10"
        default: "1e\(exponent)"
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let power = pow(10, (log10(max(raw, 1))).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
    }

    /// Cut with an ellipsis to fit `width` pixels.
    static func fitted(_ text: String, width: Double, face: ReportCanvas.Face, canvas: ReportCanvas) -> String {
        guard canvas.textWidth(text, face) > width else { return text }
        var cut = text
        while !cut.isEmpty, canvas.textWidth(cut + "…", face) > width { cut.removeLast() }
        return cut + "…"
    }
}
