/// The opening every printable page dolbom writes shares (call sheets, report.html): Korean, UTF-8, its own
/// inline style (no file to fetch), and the title as the page's heading.
enum HTMLPageOpening {
    static func text(title: String, style: String) -> String { opening(title: title, style: style, header: true) }

    /// The opening of an index page (of the call sheets, of the visit pages): a plain table, no header block.
    static func index(title: String) -> String { opening(title: title, style: indexStyle, header: false) }

    private static func opening(title: String, style: String, header: Bool) -> String {
        let escaped = CallSheetHTML.escape(title)
        return """
            <!DOCTYPE html>
            <html lang="ko">
            <head>
            <meta charset="utf-8">
            <title>\(escaped)</title>
            <style>
            \(style)
            </style>
            </head>
            <body>

            """ + (header ? "<header>\n" : "") + "<h1>\(escaped)</h1>\n"
    }

    static let indexStyle = """
        body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", sans-serif; font-size: 11pt; margin: 12mm; }
        table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 1mm 3mm; text-align: left; }
        """
}
