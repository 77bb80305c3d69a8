import CLVData
import CLVScoring
import Testing

/// The cohort table on four hand-made customers, every cell worked out by hand.
@Suite struct CohortTableCorrectnessTests {
  static func day(_ text: String) -> Day { Day(iso: text)! }

  /// a: Jan 5 (10), Jan 20 (5), Mar 2 (20); b: Jan 31 (8); c: Feb 10 (12), Apr 1 (6);
  /// d: Feb 28, Feb 29, Mar 15 (4 each). The log ends 2024-04-01: April is incomplete.
  static let log = PurchaseLog(
    customers: [
      "a": .init(days: ["2024-01-05", "2024-01-20", "2024-03-02"].map(day), amounts: [10, 5, 20]),
      "b": .init(days: [day("2024-01-31")], amounts: [8]),
      "c": .init(days: ["2024-02-10", "2024-04-01"].map(day), amounts: [12, 6]),
      "d": .init(days: ["2024-02-28", "2024-02-29", "2024-03-15"].map(day), amounts: [4, 4, 4]),
    ], hasAmounts: true)

  @Test func monthlyTriangle() {
    let table = CohortTable(Self.log, by: .month)
    #expect(table.cohorts.map(\.name) == ["2024-01", "2024-02"])
    let january = table.cohorts[0]
    // a and b; only a bought twice, 15 days apart.
    #expect(january.customers == 2 && january.secondPurchaseRate == 0.5)
    #expect(january.oneTimeBuyerShare == 0.5 && january.medianDaysToSecondPurchase == 15)
    // Periods Jan, Feb, Mar (April is incomplete): a's repeats in Jan and Mar; revenue per
    // customer (10 + 5 + 8)/2 = 11.5, 0, 20/2 = 10; cumulative 11.5, 11.5, 21.5.
    #expect(january.cells.map(\.repeatCustomers) == [1, 0, 1])
    #expect(january.cells.map(\.repeatRate) == [0.5, 0, 0.5])
    #expect(january.cells.map(\.revenuePerCustomer) == [11.5, 0, 10])
    #expect(january.cells.map(\.cumulativeRevenuePerCustomer) == [11.5, 11.5, 21.5])
    let february = table.cohorts[1]
    // c and d both bought twice: 51 days (Feb 10 to Apr 1, 2024 a leap year) and 1 day.
    #expect(february.customers == 2 && february.secondPurchaseRate == 1)
    #expect(february.medianDaysToSecondPurchase == 26)
    // Feb: d's Feb 29 repeat, revenue (12 + 8)/2 = 10; Mar: d's Mar 15, 4/2 = 2. c's Apr 1 is
    // in the incomplete April.
    #expect(february.cells.map(\.repeatCustomers) == [1, 1])
    #expect(february.cells.map(\.revenuePerCustomer) == [10, 2])
    #expect(february.cells.map(\.cumulativeRevenuePerCustomer) == [10, 12])
  }

  @Test func quarterlyAndSegmented() {
    let quarters = CohortTable(Self.log, by: .quarter)
    #expect(quarters.cohorts.count == 1)
    let q1 = quarters.cohorts[0]
    // Q1 2024: all four; repeats in Q1 by a and d; revenue (35 + 8 + 12 + 12)/4 = 16.75;
    // second purchases a, c, d (c's in Q2 still counts for the rate): 3/4, median of 15, 51, 1.
    #expect(q1.name == "2024-Q1" && q1.customers == 4)
    #expect(q1.cells.map(\.repeatRate) == [0.5] && q1.cells.map(\.revenuePerCustomer) == [16.75])
    #expect(q1.secondPurchaseRate == 0.75 && q1.medianDaysToSecondPurchase == 15)
    // Through 2024-04-30 April is complete: c's Apr 1 purchase is its repeat in period 2.
    let april = CohortTable(Self.log, by: .month, lastDay: Self.day("2024-04-30"))
    #expect(april.cohorts[1].cells.map(\.repeatCustomers) == [1, 1, 1])
    let segmented = CohortTable(
      Self.log, by: .month, segments: ["a": "web", "b": "web", "c": "store"])
    #expect(
      segmented.cohorts.map { "\($0.name) \($0.segment ?? "") \($0.customers)" } == [
        "2024-01 web 2", "2024-02 (missing) 1", "2024-02 store 1",
      ])
  }

  @Test func csvHasOneRowPerCohortAndPeriod() {
    let lines = CohortTable(Self.log, by: .month).csvLines
    #expect(lines.first == CohortTable.csvHeader)
    #expect(lines.count == 1 + 3 + 2)
    #expect(lines[1] == "2024-01,,2,0.5,0.5,15,0,1,0.5,11.5,11.5")
    #expect(lines[5] == "2024-02,,2,1,0,26,1,1,0.5,2,12")
  }
}
