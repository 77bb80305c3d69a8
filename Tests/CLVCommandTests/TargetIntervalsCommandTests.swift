import Foundation
import TestSupport
import Testing

/// `clv target --intervals` run as a binary on `TargetCommandTests`' scores and orders: the
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

  @Test func usageErrors() throws {
    for extra in [
      ["--intervals", "1"], ["--intervals", "0"], ["--intervals", "nan"], ["--draws", "50"],
      ["--intervals", "0.9", "--draws", "1"], ["--seed", "2"],
    ] {
      let result = try run(extra)
      #expect(result.status == 64, "\(extra): \(result.standardError)")
    }
    let replenishment = try Fixtures.runCLV(
      ["target", "-", "--campaign", "replenishment", "--intervals", "0.9"],
      input: TargetCommandTests.scores)
    #expect(replenishment.status == 64)
    #expect(replenishment.standardError.contains("--intervals applies to --campaign win-back"))
  }
}
