import CLVData
import Foundation
import TestSupport
import Testing

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

  @Test func aDeviceIsWrittenInPlaceNotReplaced() throws {
    // Renaming a temporary file onto /dev/null would turn the device into a plain file.
    let output = try AtomicOutput(path: "/dev/null")
    try output.write("discarded\n")
    try output.commit()
    let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
    #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
  }

  @Test func aNamedPipeIsWrittenInPlace() throws {
    let dir = try Fixtures.temporaryDirectory()
    let fifo = dir.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    nonisolated(unsafe) var received = Data()
    let reader = Thread {
      if let handle = FileHandle(forReadingAtPath: fifo) {
        received = handle.readDataToEndOfFile()
      }
    }
    reader.start()
    let output = try AtomicOutput(path: fifo)
    try output.write("through the pipe\n")
    try output.commit()
    while !reader.isFinished { usleep(1000) }
    #expect(String(decoding: received, as: UTF8.self) == "through the pipe\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: fifo)
    #expect(attributes[.type] as? FileAttributeType != .typeRegular, "the pipe was replaced")
  }

  @Test func aSymbolicLinkKeepsPointingAtTheReplacedFile() throws {
    let dir = try Fixtures.temporaryDirectory()
    let target = dir.appendingPathComponent("real.csv").path
    let link = dir.appendingPathComponent("link.csv").path
    try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    try AtomicOutput.write("new\n", to: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
  }

  @Test func aFolderIsNotWritable() throws {
    let dir = try Fixtures.temporaryDirectory()
    #expect(throws: DataError.self) { try AtomicOutput(path: dir.path) }
  }
}
