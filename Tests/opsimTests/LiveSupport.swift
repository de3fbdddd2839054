import Chaos
import Foundation
import Platform

/// Shared pieces of the live tests: a session instant the market is open at, temporary
/// directories, bounded waiting, and reading back the store's CSV files.
enum LiveSupport {
    /// 25 Nov 2026 09:20 IST: a trading day in the fixtures, inside the session.
    static let sessionStart = ISO8601.instant(CivilDate(year: 2026, month: 11, day: 25)!, hour: 9, minute: 20)

    static func temporaryDirectory(_ label: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Polls `condition` every 50 ms until it holds or `limit` passes (a safety net, not a timing assertion).
    @discardableResult
    static func waitUntil(_ limit: Duration = .seconds(30), _ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    /// Every stored CSV under `directory`, relative path → bytes.
    static func csvFiles(in directory: String) -> [(path: String, bytes: [UInt8])] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [(String, [UInt8])] = []
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".csv") else { continue }
            let data = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
            files.append((name, [UInt8](data)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// What a CSV file holds, checked line by line.
    struct FileCheck {
        var rows: [StoredRow] = []
        var problems: [String] = []
        var snapshots: Int { Set(rows.map(\.collectedAt)).count }
    }

    /// Parses every line after the header with `StoreCSV.decode`; reports torn lines, bad rows and duplicate keys.
    static func check(_ bytes: [UInt8]) -> FileCheck {
        var result = FileCheck()
        guard bytes.starts(with: StoreCSV.headerLine) else {
            result.problems.append("header missing")
            return result
        }
        if bytes.last != 0x0A { result.problems.append("torn last line (no newline at end)") }
        var seen = Set<String>()
        var start = StoreCSV.headerLine.count
        var line = 1
        while start < bytes.count {
            line += 1
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            switch StoreCSV.decode(line: bytes[start..<end]) {
            case .success(let row):
                let key = "\(row.collectedAt.nanosecondsSinceEpoch) \(row.quote.tradingsymbol)"
                if !seen.insert(key).inserted { result.problems.append("line \(line): duplicate key \(key)") }
                result.rows.append(row)
            case .failure(let error):
                result.problems.append("line \(line): \(error.reason)")
            }
            start = end + 1
        }
        return result
    }
}
