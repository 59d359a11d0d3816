import Foundation

/// A one-page SVG of where quality went: the distribution of per-position KL divergence on a log
/// scale, with the mean, median and 99th percentile marked, and, given tensor deviations, each decoder
/// layer's worst relative weight error. People look before they read.
public enum DivergenceReport {
    public static func svg(divergences: [Float], summary: DivergenceSummary, title: String, tensors: [TensorDeviation] = []) -> String {
        let layers = layerErrors(tensors)
        let width = 720.0, height = layers.isEmpty ? 360.0 : 640.0, left = 60.0, bottom = 300.0, top = 50.0, right = 700.0
        // Log-spaced bins from 1e-6 to 10 nats; smaller values fall in the first bin.
        let bins = 40
        let lowExponent = -6.0, highExponent = 1.0
        var counts = [Int](repeating: 0, count: bins)
        for value in divergences {
            let exponent = log10(max(Double(value), 1e-12))
            let bin = Int(((exponent - lowExponent) / (highExponent - lowExponent) * Double(bins)).rounded(.down))
            counts[min(max(bin, 0), bins - 1)] += 1
        }
        let tallest = Double(max(counts.max() ?? 1, 1))
        func x(_ kld: Double) -> Double {
            left + (log10(max(kld, 1e-12)) - lowExponent) / (highExponent - lowExponent) * (right - left)
        }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="24" font-size="15">\(escape(title))</text>
        <text x="\(left)" y="42">\(summary.tokens) positions · mean KLD \(format(summary.meanKLD)) · top-1 \(String(format: "%.2f", summary.top1Agreement * 100)) % · PPL ratio \(String(format: "%.4f", summary.pplRatio))</text>

        """
        let barWidth = (right - left) / Double(bins)
        for (i, count) in counts.enumerated() where count > 0 {
            let h = Double(count) / tallest * (bottom - top)
            svg += "<rect x=\"\(left + Double(i) * barWidth)\" y=\"\(bottom - h)\" width=\"\(barWidth - 1)\" height=\"\(h)\" fill=\"#4a7fb5\"/>\n"
        }
        for exponent in Int(lowExponent)...Int(highExponent) {
            let px = x(pow(10, Double(exponent)))
            svg += "<line x1=\"\(px)\" y1=\"\(bottom)\" x2=\"\(px)\" y2=\"\(bottom + 5)\" stroke=\"black\"/>"
            svg += "<text x=\"\(px)\" y=\"\(bottom + 18)\" text-anchor=\"middle\">1e\(exponent)</text>\n"
        }
        for (label, value, color) in [("mean", summary.meanKLD, "#d62728"), ("median", summary.medianKLD, "#2ca02c"), ("p99", summary.p99KLD, "#ff7f0e")] {
            let px = x(value)
            svg += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(bottom)\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(px + 3)\" y=\"\(top + 12)\" fill=\"\(color)\">\(label)</text>\n"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"black\"/>\n"
        svg += "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 40)\" text-anchor=\"middle\">KL divergence per position (nats, log scale)</text>\n"
        if !layers.isEmpty {
            let panelTop = 380.0, panelBottom = 590.0
            let worst = max(layers.map(\.1).max() ?? 1, 1e-9)
            let step = (right - left) / Double(layers.count)
            for (index, (layer, error)) in layers.enumerated() {
                let h = error / worst * (panelBottom - panelTop)
                svg += "<rect x=\"\(left + Double(index) * step)\" y=\"\(panelBottom - h)\" width=\"\(max(step - 1, 1))\" height=\"\(h)\" fill=\"#b5654a\"><title>layer \(layer): \(format(error))</title></rect>\n"
            }
            svg += "<line x1=\"\(left)\" y1=\"\(panelBottom)\" x2=\"\(right)\" y2=\"\(panelBottom)\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(left)\" y=\"\(panelTop - 8)\">worst relative RMSE of each decoder layer's weights (max \(format(worst)))</text>\n"
            svg += "<text x=\"\(left)\" y=\"\(panelBottom + 18)\">layer \(layers.first!.0)</text><text x=\"\(right)\" y=\"\(panelBottom + 18)\" text-anchor=\"end\">layer \(layers.last!.0)</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Per decoder layer (from `blk.N.` names), the largest relative RMSE of its tensors, in layer order.
    static func layerErrors(_ tensors: [TensorDeviation]) -> [(Int, Double)] {
        var worst: [Int: Double] = [:]
        for tensor in tensors where tensor.name.hasPrefix("blk.") {
            guard let layer = Int(tensor.name.dropFirst(4).prefix { $0 != "." }) else { continue }
            worst[layer] = max(worst[layer] ?? 0, tensor.relativeRMSE)
        }
        return worst.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func format(_ v: Double) -> String { String(format: v < 0.01 ? "%.6f" : "%.4f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
