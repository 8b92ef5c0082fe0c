import Foundation

@testable import DolbomCore

/// A scratch folder per test, removed when the value goes away.
final class TempFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dolbom-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> URL {
        let file = url.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
        return file
    }

    @discardableResult
    func write(_ name: String, utf8 text: String, bom: Bool = false) -> URL {
        write(name, (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, cp949 text: String) -> URL {
        write(name, [UInt8](text.data(using: SourceEncoding.dosKorean)!))
    }
}

/// Reads a file with the real reader and collects what it produced.
struct ReadResult {
    var report: ExportFileReport
    var mapping: HeaderMapping?
    var records: [RawRecord] = []
    var unreadable: [(RawRecord, String)] = []
    var diagnostics: [Diagnostic] = []

    /// With `decodeLater`, records come encoded and are decoded here, as the normalizing cores do.
    init(
        _ url: URL, configuration: DolbomConfiguration = DolbomConfiguration(), decodeLater: Bool = false,
        chunkSize: Int? = nil
    ) {
        let collector = DiagnosticsCollector()
        var mapping: HeaderMapping?
        var records: [RawRecord] = []
        var unreadable: [(RawRecord, String)] = []
        var reader = ExportReader(configuration: configuration)
        if let chunkSize { reader.chunkSize = chunkSize }
        report = reader.read(url, diagnostics: collector, decodeLater: decodeLater) { event in
            switch event {
            case .header(let m): mapping = m
            case .record(let r): records.append(r)
            case .encoded(let e): records.append(e.decoded().record)
            case .unreadable(let r, let reason, _): unreadable.append((r, reason))
            }
        }
        self.mapping = mapping
        self.records = records
        self.unreadable = unreadable
        diagnostics = collector.all
    }
}

/// The package root, found from this file's path (Tests/DolbomCoreTests/Support/...).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
