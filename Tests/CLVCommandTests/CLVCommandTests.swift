import Foundation
import TestSupport
import Testing

@Suite struct CLVCommandTests {
  @Test func helpListsEverySubcommand() throws {
    let result = try Fixtures.runCLV(["--help"])
    #expect(result.status == 0)
    for name in ["summarize", "train", "evaluate", "score", "target", "report", "simulate", "demo"]
    {
      #expect(result.standardOutput.contains(name), "--help does not list \(name)")
    }
  }

  @Test func versionIsPrinted() throws {
    let result = try Fixtures.runCLV(["--version"])
    #expect(result.status == 0)
    #expect(
      result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
        .count == 3)
  }

  @Test func unknownOptionIsAUsageError() throws {
    let result = try Fixtures.runCLV(["--no-such-option"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("no-such-option"))
  }
}
