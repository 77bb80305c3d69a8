import CLVData
import CLVScoring
import Testing

/// The cohort table's CAC columns (`clv cohorts --cac`) on the four customers of
/// ``CohortTableCorrectnessTests``, worked out by hand.
@Suite struct CohortCostsCorrectnessTests {
  /// a costs 10, b 6 (January); c 9 and d none (February).
  static let costs = AcquisitionCosts(
    file: "cac.csv", key: .customer, costs: ["a": 10, "b": 6, "c": 9])

  @Test func meanCACMarginOverCACAndPayback() throws {
    let table = CohortTable(
      CohortTableCorrectnessTests.log, by: .month, costs: Self.costs, margin: 0.5)
    let january = table.cohorts[0]
    // Mean CAC (10 + 6)/2 = 8. Cumulative revenue per customer 11.5, 11.5, 21.5: margin 0.5 ×
    // that over 8 is 0.71875, 0.71875, 1.34375, first ≥ 1 in period 2.
    #expect(january.cac == 8)
    #expect(january.marginToCAC(margin: 0.5) == [0.71875, 0.71875, 1.34375])
    #expect(january.paybackPeriod(margin: 0.5) == 2)
    // February: d has no CAC, so the cohort has none (a mean of some customers would mislead).
    #expect(table.cohorts[1].cac == nil && table.cohorts[1].paybackPeriod(margin: 0.5) == nil)
    #expect(
      table.csvLines[0].hasSuffix(
        ",cumulative_revenue_per_customer,margin,cac,"
          + "cumulative_margin_to_cac,payback_period"))
    #expect(table.csvLines[1] == "2024-01,,2,0.5,0.5,15,0,1,0.5,11.5,11.5,0.5,8,0.71875,2")
    #expect(table.csvLines[4] == "2024-02,,2,1,0,26,0,1,0.5,10,10,0.5,,,")
    // Without costs the table is as before: no extra columns.
    let plain = CohortTable(CohortTableCorrectnessTests.log, by: .month)
    #expect(plain.csvLines[1] == "2024-01,,2,0.5,0.5,15,0,1,0.5,11.5,11.5")
  }

  @Test func costsByCohortMonth() throws {
    let costs = try AcquisitionCosts.parse(csv: "cohort,cac\n2024-01,30\n2024-02,4\n", file: "c")
    let table = CohortTable(CohortTableCorrectnessTests.log, by: .month, costs: costs, margin: 1)
    // February: cumulative revenue per customer 10, 12 ≥ 4 from period 0.
    #expect(table.cohorts.map(\.cac) == [30, 4])
    #expect(table.cohorts.map { $0.paybackPeriod(margin: 1) } == [nil, 0])
  }
}

/// The cohort CSV read back (`clv report --cohorts`) gives the table that was written.
@Suite struct CohortTableConsistencyTests {
  @Test func csvRoundTrip() throws {
    let log = CohortTableCorrectnessTests.log
    for table in [
      CohortTable(log, by: .month),
      CohortTable(log, by: .quarter, segments: ["a": "web", "b": "web", "c": "store"]),
      CohortTable(log, by: .month, costs: CohortCostsCorrectnessTests.costs, margin: 0.5),
    ] {
      let text = table.csvLines.joined(separator: "\n") + "\n"
      let read = try CohortTable.parse(csv: text, file: "cohorts.csv")
      #expect(read.cohorts == table.cohorts)
      #expect(read.period == table.period && read.margin == table.margin)
      #expect(read.csvLines == table.csvLines)
    }
  }

  @Test func malformedFilesNameLineAndColumn() {
    let header = CohortTable.csvHeader
    let cases: [(String, String)] = [
      ("cohort,customers\n", "t.csv:1: not a clv cohorts table: missing column(s) 'segment'"),
      (header + "\n2024-13,,2,0.5,0.5,15,0,1,0.5,11.5,11.5\n", "t.csv:2: column 'cohort'"),
      (header + "\n2024-01,,2,0.5,0.5,15,1,1,0.5,11.5,11.5\n", "t.csv:2: column 'period'"),
      (header + "\n2024-01,,2,x,0.5,15,0,1,0.5,11.5,11.5\n", "column 'second_purchase_rate'"),
      (header + "\n", "t.csv: no rows"),
    ]
    for (text, message) in cases {
      #expect {
        try CohortTable.parse(csv: text, file: "t.csv")
      } throws: { "\($0)".contains(message) }
    }
  }
}
