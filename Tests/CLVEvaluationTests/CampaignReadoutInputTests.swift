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

  @Test func aReadoutWithABadMethodNamesTheKey() throws {
    let readout = try CampaignReadout(outcomes: Self.outcomes)
    for (bad, key) in [
      ("\"method\": \"welch\"", "\"method\": \"bayes\""),
      ("\"seed\": null", "\"seed\": 5"),
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
