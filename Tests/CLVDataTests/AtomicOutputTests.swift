import CLVData
import Foundation
import Testing
import TestSupport

@Suite struct AtomicOutputTests {
  @Test func commitReplacesTheFile() throws {
    let dir = try Fixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("out.csv").path
    try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
    let output = try AtomicOutput(path: path)
    try output.write("new\n")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    try output.commit()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
  }

  @Test func anAbandonedOutputLeavesTheOldFileAndNoTemporary() throws {
    let dir = try Fixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("model.json").path
    try "{}".write(toFile: path, atomically: false, encoding: .utf8)
    do {
      let output = try AtomicOutput(path: path)
      try output.write(String(repeating: "x", count: 3 << 20))  // forces a flush to disk
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.json"])
  }

  @Test func unwritableFolderIsReported() {
    #expect(throws: DataError.self) { try AtomicOutput(path: "/nonexistent-folder/x.csv") }
  }
}
