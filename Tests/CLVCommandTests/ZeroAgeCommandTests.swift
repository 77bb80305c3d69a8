import Foundation
import TestSupport
import Testing

/// Customers whose first purchase is on the last day (T = 0) and files of one-time buyers, run
/// through the built `clv` (issue 11, part 2).
@Suite struct ZeroAgeCommandTests {
  /// The reproducer: 20 of the 20000 simulated customers first bought on the last day.
  @Test func trainLeavesZeroAgeCustomersOutAndScoreScoresThem() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("sim.csv").path
    let model = folder.appendingPathComponent("m.json").path
    let scores = folder.appendingPathComponent("scores.csv").path
    let simulate = try Fixtures.runCLV([
      "simulate", "--customers", "20000", "--acquisition-days", "730", "--days", "730",
      "--seed", "7", "-o", orders,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    // Pareto/NBD takes the same path (CollapsedRFM); ZeroAgeConsistencyTests fit it.
    for name in ["bgnbd"] {
      let train = try Fixtures.runCLV(["train", orders, "--model", name, "-o", model])
      #expect(train.status == 0, "\(train.standardError)")
      #expect(
        train.standardError.contains(
          "clv: note: \(name): 20 customers with T = 0 (first purchase at the end of the data) "
            + "carry no information for the fit and were left out; they are still scored"),
        "\(train.standardError)")
      let file = try #require(
        JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model)))
          as? [String: Any])
      #expect(file["customers"] as? Int == 19980)
      #expect((file["fit"] as? [String: Any])?["dropped"] as? Int == 20)
    }
    let score = try Fixtures.runCLV(["score", orders, "--model", model, "-o", scores])
    #expect(score.status == 0, "\(score.standardError)")
    let lines = try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 20001)
    let row = try #require(lines.first { $0.hasPrefix("c872,") }).split(
      separator: ",", omittingEmptySubsequences: false)
    // frequency 0, T 0, P(alive) 1 (BG/NBD with x = 0), expected purchases positive.
    #expect(row[1] == "0" && Double(row[3]) == 0 && Double(row[5]) == 1, "\(row)")
    #expect((Double(row[6]) ?? 0) > 0, "\(row)")
  }

  @Test func oneTimeBuyersGetOneMessage() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("once.csv")
    try "customer_id,date,amount\na,2024-01-01,10\nb,2024-02-01,12\nc,2024-03-05,9\n"
      .write(to: orders, atomically: true, encoding: .utf8)
    let model = folder.appendingPathComponent("m.json").path
    let result = try Fixtures.runCLV(["train", orders.path, "--model", "bgnbd", "-o", model])
    #expect(result.status == 65)
    let errors = result.standardError.split(separator: "\n").filter { $0.contains("error") }
    #expect(
      errors == [
        "clv: error: BG/NBD: nobody made a repeat purchase (all 3 customers have frequency 0, "
          + "1 of them with T = 0): the purchase models cannot be identified from this data"
      ], "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: model))
  }
}
