import Foundation
import Testing

@testable import Platform

@Suite struct StoreCSVTests {
    @Test("rupee amounts round-trip through their two-decimal text for any paise value")
    func rupees() {
        var random = SplitMix64(seed: 4)
        for _ in 0..<5000 {
            let paise = random.next(in: -10_000_000_000...10_000_000_000)
            var out: [UInt8] = []
            StoreCSV.appendRupees(paise, to: &out)
            #expect(StoreCSV.rupeesToPaise(out[...]) == paise)
        }
        var text: [UInt8] = []
        StoreCSV.appendRupees(-5, to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "-0.05")
        #expect(StoreCSV.rupeesToPaise(Array("1.5".utf8)[...]) == nil)
        #expect(StoreCSV.rupeesToPaise(Array("99999999999999999999.00".utf8)[...]) == nil)
    }

    @Test("mutated CSV lines are rejected with a reason, never a crash")
    func fuzzDecode() {
        let line = Array("2026-11-24T09:15:00+05:30,2026-11-24T09:14:59.96+05:30,2026-11-24T09:14:59.7+05:30,NIFTY,NIFTY26D0124000CE,1000,2026-12-01,24000.00,CE,120.05,120.10,120.05,75,150,0,1000000,24000.00".utf8)
        guard case .success = StoreCSV.decode(line: line[...]) else {
            Issue.record("the reference line must parse")
            return
        }
        var random = SplitMix64(seed: 8)
        for _ in 0..<3000 {
            var bytes = line
            let position = Int(random.next(below: UInt64(bytes.count)))
            bytes[position] = UInt8(truncatingIfNeeded: random.next())
            _ = StoreCSV.decode(line: bytes[...])
        }
    }

    @Test("the live POSIX file system appends, syncs, truncates and locks a directory exclusively")
    func posixFileSystem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opsim-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var fileSystem = PosixFileSystem()
        try fileSystem.lockDirectory(directory)
        let path = directory + "/a.csv"
        try fileSystem.append(path, Array("hello\nwor".utf8))
        try fileSystem.sync(path)
        #expect(try fileSystem.size(of: path) == 9)
        try fileSystem.truncate(path, to: 6)
        try fileSystem.append(path, Array("x\n".utf8))
        #expect(try fileSystem.readAll(path) == Array("hello\nx\n".utf8))
        #expect(try fileSystem.list(directory) == [".lock", "a.csv"])
        // A second process-level lock on the same directory fails fast (flock is per open file description).
        let other = PosixFileSystem()
        #expect(throws: FileSystemError.self) { try other.lockDirectory(directory) }
    }
}
