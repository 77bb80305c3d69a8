import CLVData
import Foundation
import TestSupport
import Testing

/// Invariants of atomic outputs under faults: an old file is never lost, changed in mode, or
/// replaced through a planted link; no temporary file outlives its process for long.
@Suite struct AtomicOutputConsistencyTests {
  private func names(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }

  @Test func aReplacedFileKeepsItsMode() throws {
    let dir = try Fixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("private.csv").path
    try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
    #expect(chmod(path, 0o600) == 0)
    try AtomicOutput.write("new\n", to: path)
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o600)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
  }

  @Test func aNewFileGetsTheUmasksMode() throws {
    let dir = try Fixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("new.csv").path
    let mask = umask(0o027)
    defer { umask(mask) }
    try AtomicOutput.write("new\n", to: path)
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o640)
  }

  @Test func temporaryNamesAreUnpredictableAndNotLinks() throws {
    let dir = try Fixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("out.csv").path
    let victim = dir.appendingPathComponent("victim.txt").path
    try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
    // Links at the names clvkit 0.1 used (`.out.csv.tmp-PID`) for this and the next pids.
    let pid = getpid()
    for next in pid..<pid + 8 {
      let link = dir.appendingPathComponent(".out.csv.tmp-\(next)").path
      #expect(symlink(victim, link) == 0)
    }
    let first = try AtomicOutput(path: path)
    let second = try AtomicOutput(path: path)
    let temporaries = try names(in: dir).filter { $0.hasPrefix(".out.csv.tmp-\(pid)-") }
    #expect(temporaries.count == 2, "\(temporaries)")
    for name in temporaries {
      var info = stat()
      #expect(lstat(dir.appendingPathComponent(name).path, &info) == 0)
      #expect(info.st_mode & S_IFMT == S_IFREG)
    }
    try first.write("first\n")
    try first.commit()
    try second.write("second\n")
    try second.commit()
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    var info = stat()
    #expect(lstat(path, &info) == 0)
    #expect(info.st_mode & S_IFMT == S_IFREG, "out.csv became a link")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
  }

  @Test func staleTemporariesOfDeadProcessesAreRemovedAtTheNextRun() throws {
    let dir = try Fixtures.temporaryDirectory()
    // A process that has ended: its pid is free (until reused, which the check tolerates).
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let dead = child.processIdentifier
    let live = getppid()
    let stale = [".scores.csv.tmp-\(dead)-0123456789abcdef", ".model.json.tmp-\(dead)"]
    let kept = [
      ".scores.csv.tmp-\(live)-0123456789abcdef",  // a live writer
      ".notes.tmp-\(dead)-xyz",  // not one of ours
      "keep.csv",
    ]
    for name in stale + kept {
      try "partial".write(
        to: dir.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }
    try AtomicOutput.write("x\n", to: dir.appendingPathComponent("other.csv").path)
    #expect(try names(in: dir) == (kept + ["other.csv"]).sorted())
  }

  @Test func aSetOfOutputsIsAllOrNothing() throws {
    let dir = try Fixtures.temporaryDirectory()
    let chart = dir.appendingPathComponent("report-roc.svg").path
    try "old chart\n".write(toFile: chart, atomically: false, encoding: .utf8)
    let svg = try AtomicOutput(path: chart)
    try svg.write("new chart\n")
    let fresh = try AtomicOutput(path: dir.appendingPathComponent("report.md").path)
    try fresh.write("# report\n")
    let full = try AtomicOutput(path: "/dev/full")  // every write fails with ENOSPC
    try full.write("html\n")
    #expect(throws: DataError.self) { try AtomicOutput.commit([svg, fresh, full]) }
    #expect(try String(contentsOfFile: chart, encoding: .utf8) == "old chart\n")
    #expect(try names(in: dir) == ["report-roc.svg"])
  }
}
