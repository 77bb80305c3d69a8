import CLVData
import Foundation
import TestSupport
import Testing

/// `clv train --model auto` run as the built binary: the comparison in the model file and on
/// standard error, and the inputs it refuses.
@Suite struct TrainAutoCommandTests {
  @Test func autoRecordsTheComparisonAndTheChoice() throws {
    let dir = try Fixtures.temporaryDirectory()
    let orders = dir.appendingPathComponent("orders.csv").path
    let simulate = try Fixtures.runCLV([
      "simulate", "--customers", "600", "--seed", "5", "--model", "pnbd", "-o", orders,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    let out = dir.appendingPathComponent("auto.json")
    let result = try Fixtures.runCLV(["train", orders, "--model", "auto", "-o", out.path])
    #expect(result.status == 0, "\(result.standardError)")
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
    let selection = try #require(file["selection"] as? [String: Any])
    let chosen = try #require(selection["chosen"] as? String)
    #expect(file["model"] as? String == chosen)
    #expect(selection["metric"] as? String == "rmse")
    let candidates = try #require(selection["candidates"] as? [[String: Any]])
    #expect(candidates.map { $0["model"] as? String } == ["bgnbd", "mbgnbd", "pnbd", "nbd"])
    let errors = candidates.compactMap { $0["rmse"] as? Double }
    let chosenError = try #require(
      candidates.first { $0["model"] as? String == chosen }?["rmse"] as? Double)
    #expect(errors.allSatisfy { chosenError <= $0 })
    // The comparison on standard error names every candidate and the choice; the estimates
    // table on standard output is the chosen model's.
    for candidate in ["bgnbd", "mbgnbd", "pnbd", "nbd"] {
      #expect(result.standardError.contains("clv: auto:   \(candidate): RMSE"))
    }
    #expect(result.standardError.contains("chose \(chosen)"))
    #expect(!result.standardOutput.isEmpty)
    // The file scores like any model file.
    let scores = dir.appendingPathComponent("scores.csv").path
    let score = try Fixtures.runCLV(["score", orders, "--model", out.path, "-o", scores])
    #expect(score.status == 0, "\(score.standardError)")
  }

  @Test func autoNeedsAnOrderLogLongEnough() throws {
    let dir = try Fixtures.temporaryDirectory()
    // A summary file has no dates: exit 65, nothing written.
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv").path
    let out = dir.appendingPathComponent("m.json")
    let fromSummary = try Fixtures.runCLV(["train", summary, "--model", "auto", "-o", out.path])
    #expect(fromSummary.status == 65, "\(fromSummary.standardError)")
    #expect(fromSummary.standardError.contains("summary file"))
    // 100 days of orders: shorter than two 8-week periods.
    var text = "customer_id,date\n"
    for customer in 0..<30 {
      for day in stride(from: customer % 5, through: 100, by: 20) {
        text += "c\(customer),\(Self.date(day))\n"
      }
    }
    let short = dir.appendingPathComponent("short.csv")
    try text.write(to: short, atomically: true, encoding: .utf8)
    let tooShort = try Fixtures.runCLV(["train", short.path, "--model", "auto", "-o", out.path])
    #expect(tooShort.status == 65, "\(tooShort.standardError)")
    #expect(tooShort.standardError.contains("at least 112 days"), "\(tooShort.standardError)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
    // churn-logit's options do not apply.
    let usage = try Fixtures.runCLV(
      ["train", short.path, "--model", "auto", "--l2", "1", "-o", out.path])
    #expect(usage.status == 64, "\(usage.standardError)")
  }

  /// 2024-01-01 plus `day` days, yyyy-MM-dd.
  static func date(_ day: Int) -> String { (Day(year: 2024, month: 1, day: 1)! + day).description }
}
