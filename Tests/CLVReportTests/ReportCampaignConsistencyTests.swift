import CLVEvaluation
import CLVModels
import CLVScoring
import Foundation
import Testing

@testable import CLVReport

/// The report's "Campaigns" section shows a readout of `clv measure --json`, read back from its
/// JSON unchanged, and is absent without one.
@Suite struct ReportCampaignConsistencyTests {
  /// 1,000 treatment customers (150 bought 40 each), 1,000 control (100 bought 40 each).
  static func readout() throws -> CampaignReadout {
    var outcomes: [(group: CampaignGroup, outcome: CampaignOutcome)] = []
    for i in 0..<1000 {
      outcomes.append((.treatment, i < 150 ? .init(orders: 1, revenue: 40) : .init()))
      outcomes.append((.control, i < 100 ? .init(orders: 1, revenue: 40) : .init()))
    }
    return try CampaignReadout(outcomes: outcomes, offerCost: 0.5, margin: 0.5)
  }

  @Test func readoutSurvivesItsJSON() throws {
    let readout = try Self.readout()
    let text = readout.json.prettyPrinted()
    let json = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    #expect(try CampaignReadout(json: json, file: "readout.json") == readout)
  }

  @Test func malformedJSONNamesTheKey() throws {
    let json = JSONValue.object([("treatment", .object([]))])
    #expect {
      try CampaignReadout(json: json, file: "r.json")
    } throws: { error in
      "\(error)".contains("r.json:1: 'treatment.customers' is missing or malformed")
    }
  }

  @Test func sectionShowsGroupsLiftsAndVerdict() throws {
    var report = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
    report.campaigns = [.init(file: "readout.json", readout: try Self.readout())]
    let (markdown, charts) = report.markdown(chartPrefix: "c")
    #expect(markdown.contains("## Campaigns"))
    // 15% − 10% = 5 points; Newcombe lower bound > 0, so the verdict says it raised the rate.
    #expect(markdown.contains("The offer raised the purchase rate by 5.00 points"))
    #expect(markdown.contains("| treatment | 1,000 | 150 | 15.00% \\[12.92%, 17.35%\\] |"))
    #expect(markdown.contains("| control | 1,000 | 100 | 10.00% \\[8.29%, 12.02%\\] |"))
    // Incremental revenue 1000 · (6 − 4) = 2000; profit 0.5 · 2000 − 0.5 · 1000 = 500.
    #expect(markdown.contains("| incremental revenue | 2,000.00 |"))
    #expect(markdown.contains("| **incremental profit** | 500.00 |"))
    // Its Welch interval (revenue 1000 · [0.84, 3.16], margin 0.5, cost 500) includes 0.
    #expect(markdown.contains("Whether it paid is not settled: incremental profit 500.00"))
    #expect(charts.contains { $0.name.contains("campaign-1") })
    let html = report.html()
    #expect(html.contains("id=\"campaigns\""))
  }

  @Test func noSectionWithoutReadouts() {
    let (markdown, _) = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
      .markdown(chartPrefix: "c")
    #expect(!markdown.contains("## Campaigns"))
  }
}
