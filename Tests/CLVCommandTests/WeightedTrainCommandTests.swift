import CLVModels
import Foundation
import TestSupport
import Testing

/// `clv summarize --distinct` and `clv train --weight-column` (issue 18), run as the built
/// binary: the fit on the distinct rows equals the fit on every customer.
@Suite struct WeightedTrainCommandTests {
  /// 1,200 simulated customers (BG/NBD and Gamma-Gamma with the CDNOW parameters, acquired
  /// over a year, two years observed): small enough for debug-build Pareto/NBD fits.
  static let folder: Result<URL, Error> = Result {
    try Fixtures.folder(running: [
      [
        "simulate", "--customers", "1200", "--seed", "18", "--acquisition-days", "365",
        "-o", "orders.csv",
      ],
      ["summarize", "orders.csv", "-o", "full.csv"],
      ["summarize", "orders.csv", "--distinct", "-o", "distinct.csv"],
    ])
  }

  private func json(_ url: URL) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func distinctFileCountsEveryCustomerOnce() throws {
    let dir = try Self.folder.get()
    let text = try String(contentsOf: dir.appendingPathComponent("distinct.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.first == "frequency,recency,T,monetary_value,weights")
    let weights = lines.dropFirst().map { Double($0.split(separator: ",").last!)! }
    #expect(weights.reduce(0, +) == 1200)
    #expect(weights.allSatisfy { $0 >= 1 && $0 == $0.rounded() })
    let rows = lines.dropFirst().map { $0.split(separator: ",").dropLast().joined(separator: ",") }
    #expect(Set(rows).count == rows.count, "rows are distinct")
    let full = try String(contentsOf: dir.appendingPathComponent("full.csv"), encoding: .utf8)
    let fullRows = Set(
      full.split(separator: "\n").dropFirst().map {
        $0.split(separator: ",").dropFirst().joined(separator: ",")
      })
    #expect(Set(rows) == fullRows)
    let result = try Fixtures.runCLV(
      ["summarize", "full.csv", "--distinct", "-o", "-"], in: dir)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput == text, "a summary file collapses like its order log")
    #expect(result.standardError.contains("1200 customers in \(rows.count) distinct rows"))
  }

  /// Every purchase model `train` fits in calendar time (BG/NBD, MBG/NBD, Pareto/NBD, NBD), and
  /// Gamma-Gamma (BG/BB: WeightedFitConsistencyTests). Tolerance: relative
  /// 1e-9 (the same distinct rows in the same order reach the optimiser; see
  /// WeightedFitConsistencyTests).
  @Test(
    // Not the models that need litt ((M)BG/CNBD-k): distinct rows cannot carry it.
    arguments: ModelRegistry.all.filter {
      $0.fitsSummaries && !$0.needs.contains(.wholePeriods)
        && !$0.needs.contains(.interPurchaseTimes)
    }.map(\.id))
  func weightedFitEqualsFullFit(model: String) throws {
    let dir = try Self.folder.get()
    let full = try Fixtures.runCLV(
      ["train", "full.csv", "--model", model, "-o", "\(model)-full.json"], in: dir)
    #expect(full.status == 0, "\(full.standardError)")
    let weighted = try Fixtures.runCLV(
      [
        "train", "distinct.csv", "--model", model, "--weight-column", "weights", "-o",
        "\(model)-weighted.json",
      ], in: dir)
    #expect(weighted.status == 0, "\(weighted.standardError)")
    #expect(!weighted.standardError.contains("warning"))
    let a = try json(dir.appendingPathComponent("\(model)-weighted.json"))
    let b = try json(dir.appendingPathComponent("\(model)-full.json"))
    let pa = try #require(a["parameters"] as? [String: Double])
    let pb = try #require(b["parameters"] as? [String: Double])
    #expect(Set(pa.keys) == Set(pb.keys))
    for (name, value) in pb {
      assertClose(
        pa[name] ?? .nan, value, relative: 1e-9, source: "\(model) \(name): weighted vs full")
    }
    assertClose(
      a["logLikelihood"] as? Double ?? .nan, b["logLikelihood"] as? Double ?? .nan,
      relative: 1e-9, source: "\(model) log-likelihood: weighted vs full")
    #expect(a["customers"] as? Int == b["customers"] as? Int)
    // The summary line counts customers (Σ weights), not rows of the file.
    let line = try #require(weighted.standardOutput.split(separator: "\n").first)
    let fullLine = try #require(full.standardOutput.split(separator: "\n").first)
    #expect(line.split(separator: ",").first == fullLine.split(separator: ",").first)
  }

  @Test func unusedWeightsColumnIsWarnedAbout() throws {
    let dir = try Self.folder.get()
    let result = try Fixtures.runCLV(
      ["train", "distinct.csv", "--model", "bgnbd", "-o", "unweighted.json"], in: dir)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.contains("has a weights column, not used"))
  }

  @Test func badWeightColumnsFail() throws {
    let dir = try Self.folder.get()
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let onOrders = try Fixtures.runCLV(
      ["train", "orders.csv", "--model", "bgnbd", "--weight-column", "weights", "-o", "x.json"],
      in: dir)
    #expect(onOrders.status == 65)
    #expect(onOrders.standardError.contains("applies to a summary file; this is an order log"))
    let missing = try Fixtures.runCLV(
      ["train", "full.csv", "--model", "bgnbd", "--weight-column", "count", "-o", "x.json"],
      in: dir)
    #expect(missing.status == 65)
    #expect(missing.standardError.contains("no weight column 'count'"))
    try Data("frequency,recency,T,weights\n1,2,5,3\n0,0,4,0\n".utf8).write(
      to: dir.appendingPathComponent("zero.csv"))
    let zero = try Fixtures.runCLV(
      ["train", "zero.csv", "--model", "bgnbd", "--weight-column", "weights", "-o", "x.json"],
      in: dir)
    #expect(zero.status == 65)
    #expect(
      zero.standardError.contains("zero.csv:3: column 'weights': '0' is not a positive weight"))
    let churn = try Fixtures.runCLV(
      [
        "train", orders, "--model", "churn-logit", "--calibration-end", "2024-06-30",
        "--weight-column", "weights", "-o", "x.json",
      ], in: dir)
    #expect(churn.status == 64)
    #expect(churn.standardError.contains("--weight-column does not apply to --model churn-logit"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.json").path))
  }
}
