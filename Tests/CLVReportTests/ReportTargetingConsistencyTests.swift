import CLVEvaluation
import Foundation
import Testing

@testable import CLVReport

/// The report's "Targeting" section shows a run file's targeting backtest, group by group, and
/// is absent when no run has one.
@Suite struct ReportTargetingConsistencyTests {
  static let targeting = """
    {"asOf": "1997-09-30",
     "winBack": {"windowDays": 90, "budget": 500,
       "list": {"customers": 500, "purchasers": 158, "rate": 0.316},
       "otherLapsed": {"customers": 18030, "purchasers": 1767, "rate": 0.098},
       "allLapsed": {"customers": 18530, "purchasers": 1925, "rate": 0.1039}},
     "replenishment": {"windowDays": 30, "withinDays": 14,
       "list": {"customers": 1189, "purchasers": 303, "rate": 0.2548},
       "listRepeatBuyers": {"customers": 1189, "purchasers": 303, "rate": 0.2548},
       "naive": {"customers": 0, "purchasers": 0},
       "allActive": {"customers": 5040, "purchasers": 1074, "rate": 0.2131}}}
    """

  /// The same with the due-date-alone group and the holdout rates per segment.
  static let withSegments = """
    {"asOf": "1997-09-30",
     "winBack": {"windowDays": 90, "budget": 500,
       "list": {"customers": 500, "purchasers": 158, "rate": 0.316},
       "otherLapsed": {"customers": 18030, "purchasers": 1767, "rate": 0.098},
       "allLapsed": {"customers": 18530, "purchasers": 1925, "rate": 0.1039}},
     "replenishment": {"windowDays": 30, "withinDays": 14, "threshold": 0.21,
       "list": {"customers": 445, "purchasers": 188, "rate": 0.4225},
       "timingOnly": {"customers": 1189, "purchasers": 303, "rate": 0.2548},
       "listRepeatBuyers": {"customers": 445, "purchasers": 188, "rate": 0.4225},
       "naive": {"customers": 1038, "purchasers": 307, "rate": 0.2958},
       "allActive": {"customers": 5040, "purchasers": 1074, "rate": 0.2131}},
     "segmentModel": "bgnbd + gamma-gamma, fitted on the calibration period",
     "segments": [
       {"segment": "loyal", "customers": 2000, "purchasers": 1400, "rate": 0.7,
        "purchaseDays": 2.5, "spend": 120.5},
       {"segment": "at-risk", "customers": 1000, "purchasers": 150, "rate": 0.15,
        "purchaseDays": 0.25, "spend": 10}]}
    """

  @Test func sectionShowsTheDueDateAloneAndTheSegments() throws {
    var run = SyntheticRun.make(run: "with-segments")
    run.targeting = try JSONDecoder().decode(
      TargetingBacktest.self, from: Data(Self.withSegments.utf8))
    let (markdown, _) = ComparisonReport([.init(file: "run.json", run: run)])
      .markdown(chartPrefix: "c")
    #expect(
      markdown.contains(
        "| with-segments | replenishment list (due and likely to buy) | 445 | 188 | 42.2% |"))
    #expect(
      markdown.contains("| with-segments | due date alone (shrunk cycle) | 1,189 | 303 | 25.5% |"))
    #expect(markdown.contains("labelled at the calibration end by bgnbd + gamma-gamma"))
    #expect(markdown.contains("| with-segments | loyal | 2,000 | 70.0% | 2.50 | 120.50 |"))
    #expect(markdown.contains("| with-segments | at-risk | 1,000 | 15.0% | 0.25 | 10.00 |"))
  }

  @Test func sectionListsEveryGroup() throws {
    var run = SyntheticRun.make(run: "with-targeting")
    run.targeting = try JSONDecoder().decode(
      TargetingBacktest.self, from: Data(Self.targeting.utf8))
    let (markdown, _) = ComparisonReport([.init(file: "run.json", run: run)])
      .markdown(chartPrefix: "c")
    #expect(markdown.contains("## Targeting"))
    #expect(markdown.contains("Lists built at 1997-09-30"))
    #expect(markdown.contains("| with-targeting | win-back list (top 500) | 500 | 158 | 31.6% |"))
    #expect(
      markdown.contains("| with-targeting | other lapsed customers | 18,030 | 1,767 | 9.8% |"))
    // An empty group has no rate.
    #expect(markdown.contains("| with-targeting | naive mean-gap rule | 0 | 0 | — |"))
    let html = ComparisonReport([.init(file: "run.json", run: run)]).html()
    #expect(html.contains("id=\"targeting\""))
  }

  @Test func noSectionWithoutABacktest() {
    let (markdown, _) = ComparisonReport([
      .init(file: "run.json", run: SyntheticRun.make(run: "plain"))
    ]).markdown(chartPrefix: "c")
    #expect(!markdown.contains("Targeting"))
  }
}
