import Foundation
import TestSupport
import Testing

/// (M)BG/CNBD-k through the commands: `summarize --litt`, `train` (k chosen and recorded),
/// `score` (the Erlang-k next purchase date), `evaluate` (the Wheat–Morrison regularity in the
/// run file) and `report`.
@Suite struct CNBDkCommandTests {
  static let cdnowArguments = [
    "--no-header", "--delimiter", "whitespace", "--customer-column", "2", "--date-column", "3",
    "--amount-column", "5", "--date-format", "yyyyMMdd", "--unit", "week",
  ]

  @Test func summarizeWritesLittAndTheRegularity() throws {
    let data = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let result = try Fixtures.runCLV(
      ["summarize", data, "--litt", "--observation-end", "1997-09-30"] + Self.cdnowArguments)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.first == "customer_id,frequency,recency,T,monetary_value,litt")
    #expect(lines.count == 2358)
    let total = lines.dropFirst().reduce(0.0) {
      $0 + Double($1.split(separator: ",").last!)!
    }
    assertClose(total, 2909.50466858973, relative: 1e-12, source: "scripts/reference/cnbd_k.py")
    #expect(result.standardError.contains("Wheat–Morrison regularity k̂ = 1.05 (507 customers"))

    let plain = try Fixtures.runCLV(
      ["summarize", data, "--observation-end", "1997-09-30"] + Self.cdnowArguments)
    #expect(
      plain.standardOutput.split(separator: "\n").first
        == "customer_id,frequency,recency,T,monetary_value")
    #expect(!plain.standardError.contains("Wheat–Morrison"))
  }

  /// `clv simulate --model bgcnbd-k --k 4` draws regular buyers: the Wheat–Morrison k̂ of the
  /// simulated log is near 4 (M ~ beta(4, 4); 3,000 customers, last two gaps of those with three
  /// or more purchase days; band 3 … 5.5, gaps rounded to whole days), where a BG/NBD log gives
  /// about 1.
  @Test func simulatedRegularBuyersShowTheirRegularity() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv").path
    let simulated = try Fixtures.runCLV([
      "simulate", "--model", "bgcnbd-k", "--k", "4", "--alpha", "2", "--r", "4", "--customers",
      "3000", "--seed", "5", "-o", orders,
    ])
    #expect(simulated.status == 0, "\(simulated.standardError)")
    let summarized = try Fixtures.runCLV(["summarize", orders, "--litt", "-o", "-"])
    #expect(summarized.status == 0, "\(summarized.standardError)")
    let line = try #require(
      summarized.standardError.split(separator: "\n").first { $0.contains("Wheat–Morrison") })
    let value = try #require(
      Double(line.split(separator: "k̂ = ")[1].split(separator: " ")[0]))
    #expect(value > 3 && value < 5.5, "\(line)")
  }

  @Test func trainOnASummaryWithoutLittFails() throws {
    let summary = try Fixtures.sharedDataset("cdnow_customers_summary.csv").path
    let folder = try Fixtures.temporaryDirectory()
    let result = try Fixtures.runCLV([
      "train", summary, "--model", "bgcnbd-k", "-o", folder.appendingPathComponent("m.json").path,
    ])
    #expect(result.status == 65)
    #expect(result.standardError.contains("litt"), "\(result.standardError)")
  }

  @Test func trainScoreEvaluateAndReport() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let modelPath = folder.appendingPathComponent("cnbd.json").path
    let trained = try Fixtures.runCLV([
      "train", orders, "--model", "mbgcnbd-k", "--calibration-end", "2024-06-30", "-o", modelPath,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardError.contains("Wheat–Morrison"), "\(trained.standardError)")
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: modelPath)))
        as? [String: Any])
    #expect(file["model"] as? String == "mbgcnbd-k")
    let parameters = try #require(file["parameters"] as? [String: Double])
    let k = try #require(parameters["k"])
    #expect(k >= 1 && k <= 12 && k == k.rounded())
    let extra = try #require(file["extra"] as? [String: Any])
    let profile = try #require(extra["logLikelihoodByK"] as? [Any])
    #expect(profile.count == 12)
    let best = profile.compactMap { $0 as? Double }.max()
    #expect(file["logLikelihood"] as? Double == best)

    let scored = try Fixtures.runCLV(["score", orders, "--model", modelPath, "-o", "-"])
    #expect(scored.status == 0, "\(scored.standardError)")
    let lines = scored.standardOutput.split(separator: "\n")
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
    let next = try #require(header.firstIndex(of: "expected_next_purchase"))
    #expect(
      lines.dropFirst().contains {
        !$0.split(separator: ",", omittingEmptySubsequences: false)[next].isEmpty
      })

    let run = folder.appendingPathComponent("run.json").path
    let evaluated = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "bgcnbd-k,bgnbd", "-o",
      run,
    ])
    #expect(evaluated.status == 0, "\(evaluated.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run)))
        as? [String: Any])
    let data = try #require(json["data"] as? [String: Any])
    let regularity = try #require(data["regularity"] as? [String: Any])
    #expect((regularity["customers"] as? Int ?? 0) > 0)
    let html = folder.appendingPathComponent("report.html").path
    let report = folder.appendingPathComponent("report.md").path
    let rendered = try Fixtures.runCLV(["report", run, "-o", html, "--markdown", report])
    #expect(rendered.status == 0, "\(rendered.standardError)")
    let markdown = try String(contentsOfFile: report, encoding: .utf8)
    #expect(markdown.contains("BG/CNBD-k"), "the report has a BG/CNBD-k row")
  }
}
