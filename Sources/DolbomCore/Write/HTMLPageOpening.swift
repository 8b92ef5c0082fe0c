/// The opening every printable page dolbom writes shares (call sheets, report.html): Korean, UTF-8, its own
/// inline style (no file to fetch), and the title as the page's heading.
enum HTMLPageOpening {
    static func text(title: String, style: String) -> String {
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
            <header>
            <h1>\(escaped)</h1>

            """
    }
}
