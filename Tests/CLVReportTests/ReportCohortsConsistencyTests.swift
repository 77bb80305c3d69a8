import CLVData
import CLVEvaluation
import CLVScoring
import Testing

@testable import CLVReport

/// The report's "Cohorts" section (`clv report --cohorts`): the retention triangle, the
/// revenue curves and the cohort table with its CAC columns; absent without a cohort table.
@Suite struct ReportCohortsConsistencyTests {
  /// 12 monthly cohorts of 2024, 20 customers each: customer i of cohort m buys 10 + i on the
  /// 5th of its first month, and again on the 5th of month m + k when i is a multiple of
  /// k + 2 (so repeat rates fall with k). The log ends 2024-12-31.
  static func table(
    costs: AcquisitionCosts? = nil, scores: [String: AcquisitionEconomics.Scored]? = nil,
    segments: [String: String]? = nil
  ) -> CohortTable {
    var customers: [String: PurchaseLog.Purchases] = [:]
    for m in 0..<12 {
      for i in 0..<20 {
        var days = [Day(year: 2024, month: m + 1, day: 5)!]
        var amounts = [Double(10 + i)]
        for k in 1..<(12 - m) where i % (k + 2) == 0 {
          days.append(Day(year: 2024, month: m + 1 + k, day: 5)!)
          amounts.append(Double(10 + i))
        }
        customers["m\(m)-\(i)"] = .init(days: days, amounts: amounts)
      }
    }
    let log = PurchaseLog(customers: customers, hasAmounts: true)
    return CohortTable(
      log, by: .month, segments: segments, lastDay: Day(year: 2024, month: 12, day: 31),
      costs: costs, margin: 0.4, scores: scores)
  }

  /// Made-up scores of every customer of ``table(costs:scores:segments:)``: CAC 15, first-order
  /// profit 4, margin to date 8, CLV 20 + m; paid back in 30 days in the even months m (0:
  /// January), never in the odd ones.
  static func scores() -> [String: AcquisitionEconomics.Scored] {
    var scores: [String: AcquisitionEconomics.Scored] = [:]
    for m in 0..<12 {
      for i in 0..<20 {
        scores["m\(m)-\(i)"] = .init(
          economics: .init(
            cac: 15, firstOrderProfit: 4, marginToDate: 8, clvToCAC: Double(28 + m) / 15,
            paybackDays: m % 2 == 0 ? 30 : nil),
          clv: Double(20 + m))
      }
    }
    return scores
  }

  static func report(costs: AcquisitionCosts? = nil) -> ComparisonReport {
    var report = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
    report.cohorts = .init(file: "cohorts.csv", table: table(costs: costs))
    return report
  }

  @Test func sectionDrawsTheTriangleTheCurvesAndTheTable() throws {
    let costs = AcquisitionCosts(file: "cac.csv", key: .cohort, costs: ["2024-01": 15])
    let (markdown, charts) = Self.report(costs: costs).markdown(chartPrefix: "r-")
    #expect(markdown.contains("## Cohorts"))
    let triangle = try #require(charts.first { $0.name.contains("cohorts-retention-1") })
    // Rows named by cohort, oldest on top; 12 + 11 + … + 1 = 78 cells of the triangle.
    #expect(triangle.svg.contains(">2024-01<") && triangle.svg.contains(">2024-12<"))
    let cells = triangle.svg.components(separatedBy: "<g class=\"cells\"")[1]
      .components(separatedBy: "</g>")[0]
    #expect(cells.components(separatedBy: "<rect").count - 1 == 78)
    let curves = try #require(charts.first { $0.name.contains("cohorts-revenue-1") })
    #expect(curves.svg.contains("2024-06"))
    // The cohorts without a CAC show dashes.
    #expect(markdown.contains("| CAC | Cum. margin / CAC | Payback (months) |"))
    #expect(markdown.contains("| 2024-02 | 20 |"))
    #expect(markdown.contains("| — | — | — |"))
    // January, by hand: revenue per customer 19.5 in period 0 (10…29), then 133/20 = 6.65
    // (i = 0, 3, …, 18), 90/20 = 4.5, 70/20 = 3.5, 76/20 = 3.8: cumulative 19.5, 26.15, 30.65,
    // 34.15, 37.95. At margin 0.4 the CAC of 15 needs 37.5: period 4.
    let january = Self.table(costs: costs).cohorts[0]
    #expect(january.paybackPeriod(margin: 0.4) == 4)
    #expect(markdown.contains("| 2024-01 | 20 | "))
    #expect(markdown.contains(" | 15.00 | "))
  }

  @Test func noSectionWithoutCohortsAndNoCostColumnsWithoutCosts() {
    let (markdown, _) = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
      .markdown(chartPrefix: "c")
    #expect(!markdown.contains("## Cohorts"))
    let (plain, _) = Self.report().markdown(chartPrefix: "c")
    #expect(plain.contains("## Cohorts") && !plain.contains("CAC"))
  }

  @Test func predictedEconomicsChartAndTables() throws {
    var report = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
    report.cohorts = .init(file: "cohorts.csv", table: Self.table(scores: Self.scores()))
    let (markdown, charts) = report.markdown(chartPrefix: "r-")
    #expect(markdown.contains("### Predicted unit economics"))
    // January by hand: 20 customers, means 15, 4, 8, 20; CLV:CAC (8 + 20)/15 = 1.87 (≥ 1:
    // emphasised); all paid back in 30 days. February: CLV 21, (8 + 21)/15 = 1.93, none paid
    // back within the horizon.
    #expect(
      markdown.contains("| 2024-01 | 20 | 15.00 | 4.00 | 8.00 | 20.00 | **1.87** | 30 | 100.0% |"))
    #expect(
      markdown.contains(
        "| 2024-02 | 20 | 15.00 | 4.00 | 8.00 | 21.00 | **1.93** | not within H | 0.0% |"))
    // The chart: one group per cohort, three bars each (CAC, first order, lifetime margin).
    let chart = try #require(charts.first { $0.name.contains("cohorts-economics") })
    #expect(chart.svg.contains(">2024-01<") && chart.svg.contains(">2024-12<"))
    #expect(chart.svg.contains("First-order profit") && chart.svg.contains("predicted CLV"))
    // Unsegmented: no table per segment.
    #expect(!markdown.contains("per segment, all cohorts pooled"))
  }

  @Test func predictedEconomicsPerSegment() throws {
    var segments: [String: String] = [:]
    for m in 0..<12 {
      for i in 0..<20 { segments["m\(m)-\(i)"] = m < 6 ? "search" : "social" }
    }
    var report = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
    report.cohorts = .init(
      file: "cohorts.csv", table: Self.table(scores: Self.scores(), segments: segments))
    let (markdown, charts) = report.markdown(chartPrefix: "r-")
    // search: cohorts 0…5, 120 customers, mean CLV 22.5, (8 + 22.5)/15 = 2.03, half paid back.
    // social: 6…11, mean CLV 28.5, (8 + 28.5)/15 = 2.43, half paid back.
    #expect(markdown.contains("per segment, all cohorts pooled"))
    #expect(markdown.contains("| search | 120 | 15.00 | 4.00 | 8.00 | 22.50 | **2.03** | 50.0% |"))
    #expect(markdown.contains("| social | 120 | 15.00 | 4.00 | 8.00 | 28.50 | **2.43** | 50.0% |"))
    let chart = try #require(charts.first { $0.name.contains("cohorts-economics") })
    #expect(chart.svg.contains(">search<") && chart.svg.contains(">social<"))
    #expect(!chart.svg.contains(">2024-01<"))
  }

  @Test func noEconomicsWithoutScores() {
    let (markdown, charts) = Self.report().markdown(chartPrefix: "c")
    #expect(!markdown.contains("Predicted unit economics"))
    #expect(!charts.contains { $0.name.contains("cohorts-economics") })
  }
}
