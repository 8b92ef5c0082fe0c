/// Inline SVG and HTML charts for report.html: drawn here from the figures, so the page needs no script, no
/// font or library from the network, and prints as it shows. Sizes are in CSS pixels (96 per inch).
enum ReportChart {
    struct Bar {
        var key: String
        var label: String
        var value: Double
        /// The number written after the bar (`51가구`).
        var text: String
        /// The darker part at the start of the bar (households new since the last run).
        var highlight: Double?
        /// The count a test reads back (`data-count`).
        var count: Int?
    }

    static let font = "'Noto Sans CJK KR','Noto Sans KR','Malgun Gothic','Apple SD Gothic Neo',sans-serif"

    /// Width of `text` at `size` px, estimated: a Hangul syllable or CJK character takes a full em, digits and
    /// Latin letters about 0.6, a space 0.3. Enough to keep labels and numbers from touching.
    static func textWidth(_ text: String, size: Double) -> Double {
        var em = 0.0
        for s in text.unicodeScalars {
            switch s.value {
            case 0x20: em += 0.3
            case 0x1100...0xFFDC:
                em += s.properties.isWhitespace ? 0.3 : (s.value == 0x2013 || s.value == 0x2026 ? 0.6 : 1.0)
            default: em += 0.62
            }
        }
        return em * size
    }

    /// `label` cut to fit `width` px, with `…`.
    static func fitted(_ label: String, width: Double, size: Double) -> String {
        guard textWidth(label, size: size) > width else { return label }
        var out = ""
        for ch in label {
            if textWidth(out + String(ch) + "…", size: size) > width { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// Horizontal bars, one row per bar: label on the left, the bar, its number after it.
    static func bars(_ bars: [Bar], title: String, width: Double = 330) -> String {
        let size = 11.0
        let row = 17.0
        let barHeight = 11.0
        let labelWidth = min((bars.map { textWidth($0.label, size: size) }.max() ?? 0) + 8, width * 0.55)
        let valueWidth = (bars.map { textWidth($0.text, size: size - 1) }.max() ?? 0) + 6
        let area = max(20, width - labelWidth - valueWidth)
        let top = bars.map(\.value).max() ?? 0
        let height = Double(bars.count) * row + 2
        let name = ReportPage.escape(title)
        var svg =
            "<svg class=\"chart\" role=\"img\" width=\"\(px(width))\" height=\"\(px(height))\""
            + " viewBox=\"0 0 \(px(width)) \(px(height))\" font-family=\"\(font)\" aria-label=\"\(name)\">"
            + "<title>\(name)</title>"
        for (n, bar) in bars.enumerated() {
            let y = Double(n) * row + 1
            let length = top > 0 ? bar.value / top * area : 0
            let shown = bar.value > 0 ? max(length, 1.5) : 0
            svg += "<g data-key=\"\(ReportPage.escape(bar.key))\"\(bar.count.map { " data-count=\"\($0)\"" } ?? "")>"
            let label = fitted(bar.label, width: labelWidth - 8, size: size)
            svg += text(
                label, x: labelWidth - 6, y: y + barHeight - 1, size: size, end: true,
                color: bar.value > 0 ? "#222" : "#888")
            if shown > 0 {
                svg += rect(x: labelWidth, y: y + 1, width: shown, height: barHeight, color: "#9cc3e6")
                if let highlight = bar.highlight, highlight > 0, top > 0 {
                    svg += rect(
                        x: labelWidth, y: y + 1, width: max(highlight / top * area, 1.5), height: barHeight,
                        color: "#2f6ea5")
                }
            }
            svg += text(
                bar.text, x: labelWidth + shown + 4, y: y + barHeight - 1, size: size - 1, end: false,
                color: "#222")
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, color: String) -> String {
        "<rect x=\"\(px(x))\" y=\"\(px(y))\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"\(color)\"/>"
    }

    /// `content` is escaped here.
    static func text(_ content: String, x: Double, y: Double, size: Double, end: Bool, color: String) -> String {
        "<text x=\"\(px(x))\" y=\"\(px(y))\" font-size=\"\(px(size))\"\(end ? " text-anchor=\"end\"" : "")"
            + " fill=\"\(color)\">\(ReportPage.escape(content))</text>"
    }

    /// Counts as bars, each number followed by `unit`.
    static func counts(
        _ counts: [ReportCount], unit: String, title: String, highlightNew: Bool = false, width: Double = 330
    ) -> String {
        bars(
            counts.map {
                Bar(
                    key: $0.key, label: $0.label, value: Double($0.count),
                    text: "\(ReportWording.number($0.count))\(unit)",
                    highlight: highlightNew ? $0.new.map(Double.init) : nil, count: $0.count)
            }, title: title, width: width)
    }

    /// Calls per counselor per day as a small table, each cell shaded by its count (darker = more calls).
    static func heatTable(_ team: ReportFigures.Team) -> String {
        let top = team.counselors.flatMap(\.perDay).max() ?? 0
        var html = "<table class=\"heat\"><thead><tr><th>상담사</th>"
        for d in team.days {
            let (day, weekday) = ReportWording.dayParts(d)
            html += "<th>\(ReportPage.escape(day))<br>(\(ReportPage.escape(weekday)))</th>"
        }
        html += "<th>합계</th></tr></thead><tbody>"
        for c in team.counselors {
            html += "<tr data-counselor=\"\(ReportPage.escape(c.id))\"><th>\(ReportPage.escape(c.name))</th>"
            for n in c.perDay {
                guard n > 0, top > 0 else {
                    html += "<td class=\"zero\">·</td>"
                    continue
                }
                // From pale to deep blue; numbers turn white on the darker half.
                let t = Double(n) / Double(top)
                let r = Int(232 - 185 * t)
                let g = Int(241 - 131 * t)
                let b = Int(250 - 85 * t)
                html += "<td style=\"background:rgb(\(r),\(g),\(b));color:\(t > 0.55 ? "#fff" : "#111")\">\(n)</td>"
            }
            html += "<td class=\"total\">\(ReportWording.number(c.total))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// A number for SVG attributes: whole or with one decimal, never in exponent form.
    static func px(_ v: Double) -> String {
        let t = Int((v * 10).rounded())
        return t % 10 == 0 ? "\(t / 10)" : "\(t / 10).\(abs(t % 10))"
    }
}
