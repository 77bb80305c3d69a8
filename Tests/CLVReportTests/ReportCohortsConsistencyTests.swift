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
  static func table(costs: AcquisitionCosts? = nil) -> CohortTable {
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
      log, by: .month, lastDay: Day(year: 2024, month: 12, day: 31), costs: costs, margin: 0.4)
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
}
