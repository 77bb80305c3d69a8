import Foundation
import TestSupport
import Testing

/// `clv train` and `clv report` show the model warnings of `ModelWarnings` (issue 19: the
/// penalized CDNOW Gamma-Gamma has q < 1, no finite mean spend, and nothing said so).
@Suite struct ModelWarningsCommandTests {
  static func train(penalizer: String, output: URL) throws -> Fixtures.RunResult {
    try Fixtures.runCLV([
      "train", try Fixtures.sharedDataset("CDNOW_master.txt").path, "--model", "gamma-gamma",
      "--delimiter", "whitespace", "--amount-column", "dollar_value", "--date-format",
      "yyyyMMdd", "--unit", "week", "--calibration-end", "1997-09-30", "--penalizer", penalizer,
      "-o", output.path,
    ])
  }

  @Test func trainWarnsAboutGammaGammaWithoutFiniteMeanSpend() throws {
    let folder = try Fixtures.temporaryDirectory()
    let penalized = try Self.train(
      penalizer: "0.01", output: folder.appendingPathComponent("gg-penalized.json"))
    #expect(penalized.status == 0, "\(penalized.standardError)")
    #expect(
      penalized.standardError.contains("clv: warning: gamma-gamma: q = 0.9587")
        && penalized.standardError.contains("≤ 1: the population mean spend"),
      "\(penalized.standardError)")
    let plain = try Self.train(penalizer: "0", output: folder.appendingPathComponent("gg.json"))
    #expect(plain.status == 0, "\(plain.standardError)")
    #expect(!plain.standardError.contains("warning"), "\(plain.standardError)")
  }
}
