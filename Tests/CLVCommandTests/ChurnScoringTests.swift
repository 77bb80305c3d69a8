import CLVModels
import CLVScoring
import Foundation
import TestSupport
import Testing

@testable import clv

/// `ChurnScorer`, the piece `clv score --churn-model FILE` calls: a model file written by
/// `clv train` scores customers summarized at a later date.
@Suite struct ChurnScoringTests {
  @Test func trainedModelFileScoresCustomersAtTheScoringDate() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try ChurnCommandTests.smallOrders(in: folder)
    var rows = ["customer_id,region,age"]
    for c in 1...40 { rows.append("c\(c),\(["north", "south", "east"][c % 3]),\(20 + c % 7)") }
    let attributes = folder.appendingPathComponent("attrs.csv")
    try (rows.joined(separator: "\n") + "\n").write(
      to: attributes, atomically: true, encoding: .utf8)
    let model = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV([
      "train", orders.path, "--model", "churn-logit", "--calibration-end", "2024-03-31",
      "--observation-end", "2024-06-30", "--features", "frequency,T",
      "--attributes", attributes.path, "--l2", "1", "-o", model.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")

    // Score on the whole log, summarized at 2024-06-30 (no calibration split).
    let ingest = try IngestOptions.parse(["--observation-end", "2024-06-30"])
    let summaries = try ingest.summaries(from: orders.path, quiet: true)
    let scorer = try ChurnScorer(path: model.path, attributesPath: attributes.path)
    #expect(
      scorer.model.featureNames == ["frequency", "T", "region=north", "region=south", "age"])
    let p = try scorer.probabilities(for: summaries)
    #expect(p.count == 40)
    #expect(p.allSatisfy { $0 > 0 && $0 < 1 })
    // The same probability by hand for the first customer: σ(β₀ + βᵀx).
    let row = summaries.summary.rows[0]
    let id = Int(row.customerID.dropFirst())!
    let region = ["north", "south", "east"][id % 3]
    let x = [
      Double(row.frequency), row.age, region == "north" ? 1 : 0, region == "south" ? 1 : 0,
      Double(20 + id % 7),
    ]
    assertClose(
      p[0], scorer.model.churnProbability(for: x), relative: 1e-12,
      source: "definition σ(β₀ + βᵀx) with the one-hot encoding (east is the reference)")

    // The same customers summarized in days score the same (times converted to weeks).
    let inDays = try IngestOptions.parse(["--observation-end", "2024-06-30", "--unit", "day"])
    let daily = try scorer.probabilities(for: inDays.summaries(from: orders.path, quiet: true))
    for i in p.indices {
      assertClose(daily[i], p[i], relative: 1e-12, source: "unit conversion days / 7 = weeks")
    }

    let missing = Self.message { _ = try ChurnScorer(path: model.path, attributesPath: nil) }
    #expect(missing?.contains("give --attributes FILE") == true, "\(missing ?? "")")
  }

  @Test func aBTYDModelFileIsNotAChurnModel() throws {
    let folder = try Fixtures.temporaryDirectory()
    let bgnbd = folder.appendingPathComponent("bgnbd.json")
    try """
    {"schema": "clvkit-model/1", "model": "bgnbd",
     "parameters": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
     "unit": "week", "createdAt": "2026-11-22T00:00:00Z",
     "tool": {"name": "clv", "version": "0.1.0"}}
    """.write(to: bgnbd, atomically: true, encoding: .utf8)
    let message = Self.message { _ = try ChurnScorer(path: bgnbd.path, attributesPath: nil) }
    #expect(
      message == "\(bgnbd.path): not a usable model file: holds 'bgnbd', not a churn model "
        + "(churn-logit)")
  }

  static func message(of body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return "\(error)"
    }
  }
}
