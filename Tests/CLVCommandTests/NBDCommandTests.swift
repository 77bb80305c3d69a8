import Foundation
import TestSupport
import Testing

/// The NBD, added by one folder and one registry line, works in every command that reads the
/// registry: `train`, `score`, `evaluate` and `report`.
@Suite struct NBDCommandTests {
  @Test func trainScoreEvaluateAndReportTheNBD() throws {
    let folder = try Fixtures.temporaryDirectory()
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv").path
    let modelPath = folder.appendingPathComponent("nbd.json").path
    let trained = try Fixtures.runCLV(["train", summary, "--model", "nbd", "-o", modelPath])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.hasPrefix("NBD: 2357 customers"), "\(trained.standardOutput)")
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: modelPath)))
        as? [String: Any])
    #expect(file["model"] as? String == "nbd")
    #expect(file["unit"] as? String == "week")
    let parameters = try #require(file["parameters"] as? [String: Double])
    assertClose(
      parameters["r"] ?? .nan, 0.384767674051841, relative: 1e-5,
      source: "scripts/reference/nbd_cdnow.py")

    let scored = try Fixtures.runCLV(["score", summary, "--model", modelPath, "-o", "-"])
    #expect(scored.status == 0, "\(scored.standardError)")
    let lines = scored.standardOutput.split(separator: "\n")
    #expect(lines.count == 2358, "header and one row per customer")
    // No dropout: p_alive is 1 for everyone.
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
    let aliveColumn = try #require(header.firstIndex(of: "p_alive"))
    #expect(
      lines.dropFirst().allSatisfy {
        Double($0.split(separator: ",", omittingEmptySubsequences: false)[aliveColumn]) == 1
      })

    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let run = folder.appendingPathComponent("run.json").path
    let evaluated = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "nbd,bgnbd", "-o", run,
    ])
    #expect(evaluated.status == 0, "\(evaluated.standardError)")
    let html = folder.appendingPathComponent("report.html").path
    let report = folder.appendingPathComponent("report.md").path
    let rendered = try Fixtures.runCLV(["report", run, "-o", html, "--markdown", report])
    #expect(rendered.status == 0, "\(rendered.standardError)")
    let markdown = try String(contentsOfFile: report, encoding: .utf8)
    #expect(markdown.contains("| NBD"), "the report has an NBD row")
  }

  @Test func helpListsTheNBD() throws {
    let help = try Fixtures.runCLV(["train", "--help"])
    #expect(help.standardOutput.contains("bgbb, nbd, bgcnbd-k, mbgcnbd-k,"))
  }
}
