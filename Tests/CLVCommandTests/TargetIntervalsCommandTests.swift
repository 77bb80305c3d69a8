import Foundation
import TestSupport
import Testing

/// `clv target --intervals` run as a binary: win-back lists on `TargetCommandTests`' scores
/// and orders, replenishment lists on scores of models trained on the demo orders; the
/// interval columns, the list total on stderr, seeds and usage errors.
@Suite struct TargetIntervalsCommandTests {
  /// The numbers of a win-back line: the point values (p_reactivation, value_if_reactivated,
  /// expected_value) and the six bounds after the quoted reason.
  func numbers(_ line: Substring) -> (points: [Double], bounds: [Double]) {
    let quote = line.firstIndex(of: "\"")!
    let before = line[..<quote].split(separator: ",", omittingEmptySubsequences: false)
    let after = line[line.lastIndex(of: "\"")!...].split(separator: ",").dropFirst()
    return (before[8...10].map { Double($0)! }, after.map { Double($0)! })
  }

  func run(_ extra: [String]) throws -> Fixtures.RunResult {
    let directory = try Fixtures.temporaryDirectory()
    let orders = directory.appendingPathComponent("orders.csv")
    let scores = directory.appendingPathComponent("scores.csv")
    try Data(TargetCommandTests.orders.utf8).write(to: orders)
    try Data(TargetCommandTests.scores.utf8).write(to: scores)
    return try Fixtures.runCLV(
      ["target", scores.path, "--campaign", "win-back", "--orders", orders.path] + extra)
  }

  @Test func winBackRowsAndTotalCarryIntervals() throws {
    let result = try run(["--intervals", "0.9", "--draws", "50", "--seed", "3"])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(
      lines.first.map(String.init)?.hasSuffix(
        ",offer_tier,reason,p_reactivation_low,p_reactivation_high,value_if_reactivated_low,"
          + "value_if_reactivated_high,expected_value_low,expected_value_high") == true)
    #expect(lines.count == 3)
    var total = 0.0
    for line in lines.dropFirst() {
      let (points, bounds) = numbers(line)
      #expect(bounds.count == 6, "\(line)")
      for c in 0..<3 {
        #expect(bounds[2 * c] <= points[c] && points[c] <= bounds[2 * c + 1], "\(line)")
      }
      total += points[2]
    }
    // The total on stderr is the sum of the expected values, with its interval.
    #expect(result.standardError.contains("clv: target: 2 customers; expected_value of the list "))
    #expect(result.standardError.contains(String(format: "%.2f", total) + " (90% interval "))
    #expect(result.standardError.contains("over 50 draws)"))
    // The same seed gives the same file; another seed other bounds.
    let again = try run(["--intervals", "0.9", "--draws", "50", "--seed", "3"])
    #expect(again.standardOutput == result.standardOutput)
    let other = try run(["--intervals", "0.9", "--draws", "50", "--seed", "4"])
    #expect(other.standardOutput != result.standardOutput)
    // The default seed is 1 and the default draws 200.
    let defaults = try run(["--intervals", "0.9"])
    #expect(defaults.status == 0)
    #expect(defaults.standardError.contains("over 200 draws)"))
    #expect(
      try run(["--intervals", "0.9", "--seed", "1"]).standardOutput == defaults.standardOutput)
  }

  @Test func controlGroupStaysTheLastColumn() throws {
    let result = try run(["--intervals", "0.8", "--control", "50%"])
    #expect(result.status == 0, "\(result.standardError)")
    let header = result.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
    #expect(header.hasSuffix(",expected_value_low,expected_value_high,group"))
  }

  /// BG/NBD and Gamma-Gamma trained on the demo orders, and the scores they make (52 weeks,
  /// discount 0.01, margin 0.3), in a fresh folder.
  func scoredDemo() throws -> (model: String, spend: String, scores: String) {
    let folder = try Fixtures.temporaryDirectory()
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let (model, spend, scores) = (
      folder.appendingPathComponent("bgnbd.json").path,
      folder.appendingPathComponent("gamma-gamma.json").path,
      folder.appendingPathComponent("scores.csv").path
    )
    for (id, path) in [("bgnbd", model), ("gamma-gamma", spend)] {
      let result = try Fixtures.runCLV(["train", orders, "--model", id, "-o", path])
      #expect(result.status == 0, "\(result.standardError)")
    }
    let result = try Fixtures.runCLV([
      "score", orders, "--model", model, "--spend-model", spend, "--discount-rate",
      "0.01",
      "--margin", "0.3", "-o", scores,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    return (model, spend, scores)
  }

  @Test func replenishmentClvAndTotalCarryIntervals() throws {
    let (model, spend, scores) = try scoredDemo()
    let arguments = [
      "target", scores, "--campaign", "replenishment", "--intervals", "0.9", "--draws", "40",
      "--intervals-model", model, "--spend-model", spend, "--discount-rate", "0.01", "--margin",
      "0.3",
    ]
    let result = try Fixtures.runCLV(arguments)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.first.map(String.init)?.hasSuffix(",clv,reason,clv_low,clv_high") == true)
    #expect(lines.count > 2, "a list of at least two customers")
    var total = 0.0
    for line in lines.dropFirst() {
      // clv is the field before the quoted reason, the bounds the two after it.
      let before = line[..<line.firstIndex(of: "\"")!].split(
        separator: ",", omittingEmptySubsequences: false)
      let clv = try #require(Double(before[before.count - 2]), "\(line)")
      let bounds = line[line.lastIndex(of: "\"")!...].split(separator: ",").dropFirst()
        .map { Double($0)! }
      #expect(bounds.count == 2 && bounds[0] < clv && clv < bounds[1], "\(line)")
      total += clv
    }
    #expect(result.standardError.contains("customers; clv of the list "))
    #expect(result.standardError.contains(String(format: "%.2f", total) + " (90% interval "))
    // Other scoring options than the scores' are a file error naming the clv.
    let other = try Fixtures.runCLV(arguments + ["--horizon", "26w"])
    #expect(other.status == 65, "\(other.standardError)")
    #expect(other.standardError.contains("column 'clv'"))
    #expect(other.standardError.contains("give the model files and options the scores"))
  }

  @Test func usageErrors() throws {
    for extra in [
      ["--intervals", "1"], ["--intervals", "0"], ["--intervals", "nan"], ["--draws", "50"],
      ["--intervals", "0.9", "--draws", "1"], ["--seed", "2"],
    ] {
      let result = try run(extra)
      #expect(result.status == 64, "\(extra): \(result.standardError)")
    }
    for (extra, message) in [
      (["--intervals", "0.9"], "needs --intervals-model (or --model) and --spend-model"),
      (
        ["--intervals", "0.9", "--intervals-model", "m.json"],
        "needs --intervals-model (or --model) and --spend-model"
      ),
      (
        ["--intervals-model", "m.json"],
        "--intervals-model applies to --campaign replenishment --intervals only"
      ),
      (
        [
          "--intervals", "0.9", "--intervals-model", "m.json", "--spend-model", "s.json",
          "--horizon", "x",
        ],
        "--horizon must be a number"
      ),
    ] {
      let result = try Fixtures.runCLV(
        ["target", "-", "--campaign", "replenishment"] + extra, input: TargetCommandTests.scores)
      #expect(result.status == 64, "\(extra)")
      #expect(result.standardError.contains(message), "\(extra): \(result.standardError)")
    }
    let winBack = try run(["--intervals", "0.9", "--margin", "0.3"])
    #expect(winBack.status == 64)
    #expect(winBack.standardError.contains("--margin applies to --campaign replenishment"))
  }
}
