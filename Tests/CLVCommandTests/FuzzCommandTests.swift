import Foundation
import TestSupport
import Testing

/// A short run of the seeded mutation fuzzer (`clv-fuzz`) over every file reader: no crash,
/// no hang, every rejection a located error. `make fuzz FUZZ_SECONDS=600` runs it for ten
/// minutes.
@Suite struct FuzzCommandTests {
  @Test func everyReaderSurvivesTwentySecondsOfMutatedInput() throws {
    let binary = try Fixtures.clvBinary().deletingLastPathComponent()
      .appendingPathComponent("clv-fuzz")
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let process = Process()
    process.executableURL = binary
    process.arguments = ["--seconds", "20", "--seed", "7", "--out", folder.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(output)")
    // Every reader ran and rejected some inputs (the mutations reach the checks).
    for reader in [
      "orders", "summaries", "model files", "scores", "run files", "attributes", "customer lists",
    ] {
      let line = output.split(separator: "\n").first { $0.hasPrefix("clv-fuzz: \(reader):") }
      #expect(line != nil, "\(reader): \(output)")
      #expect(line?.contains(" 0 rejected") == false, "\(reader): \(line ?? "")")
    }
    #expect(output.contains("0 failure(s)"), "\(output)")
  }
}
