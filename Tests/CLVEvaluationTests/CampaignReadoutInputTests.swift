import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import Foundation
import Testing

/// Bad interval settings and readout files fail with a message naming the problem.
@Suite struct CampaignReadoutInputTests {
  static let outcomes: [(group: CampaignGroup, outcome: CampaignOutcome)] = [
    (.treatment, CampaignOutcome(orders: 1, revenue: 10)), (.treatment, CampaignOutcome()),
    (.control, CampaignOutcome(orders: 2, revenue: 5)), (.control, CampaignOutcome()),
  ]

  @Test func theBootstrapNeedsResamples() throws {
    #expect(
      throws: EvaluationError.unusableSample(
        what: "campaign readout", reason: "the bootstrap needs 1 or more resamples")
    ) {
      try CampaignReadout(outcomes: Self.outcomes, intervals: .bootstrapT(resamples: 0))
    }
  }

  @Test func theRandomizationTestNeedsPermutationsAndEnoughOfThem() throws {
    #expect(
      throws: EvaluationError.unusableSample(
        what: "campaign readout", reason: "the randomization test needs 1 or more permutations")
    ) {
      try CampaignReadout(outcomes: Self.outcomes, intervals: .permutation(permutations: 0))
    }
    // Two customers per group: 6 splits, no lift can be rejected at the 95% level.
    do {
      _ = try CampaignReadout(outcomes: Self.outcomes, intervals: .permutation())
      Issue.record("an unbounded interval was accepted")
    } catch let error as EvaluationError {
      #expect("\(error)".contains("unbounded"), "\(error)")
    }
  }

  @Test func aReadoutWithABadMethodNamesTheKey() throws {
    let readout = try CampaignReadout(outcomes: Self.outcomes)
    for (bad, key) in [
      ("\"method\": \"welch\"", "\"method\": \"bayes\""),
      ("\"seed\": null", "\"seed\": 5"),
      ("\"permutations\": null", "\"permutations\": 0"),
    ] {
      let text = readout.json.prettyPrinted().replacingOccurrences(of: bad, with: key)
      #expect(text.contains(key))
      let json = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
      #expect(throws: DataError.self) { try CampaignReadout(json: json, file: "r.json") }
      do {
        _ = try CampaignReadout(json: json, file: "r.json")
      } catch {
        #expect("\(error)".hasPrefix("r.json:1: "), "\(error)")
        #expect("\(error)".contains("meanIntervals"), "\(error)")
      }
    }
  }
}
