import CLVData
import CLVScoring
import TestSupport
import Testing

/// The predicted unit economics per cohort (`clv cohorts --scores`,
/// ``AcquisitionEconomics/Summary``) on the four customers of ``CohortTableCorrectnessTests``
/// with hand-made scores, every aggregate worked out by hand.
@Suite struct CohortEconomicsCorrectnessTests {
  /// As `clv score --cac` would write them at margin 0.5 (values made up, consistent with
  /// the definitions: clv_to_cac = (margin_to_date + clv)/cac). a and b are the January
  /// cohort, c and d February; d has no CAC. b is not paid back within the horizon.
  static let scoresCSV = """
    customer_id,frequency,clv,cac,first_order_profit,margin_to_date,clv_to_cac,payback_days
    a,2,20,10,5,17.5,3.75,56
    b,0,2,6,4,4,1,
    c,1,30,9,6,9,4.333333333333333,51
    d,2,12,,2,6,,

    """

  static func scores() throws -> [String: AcquisitionEconomics.Scored] {
    try AcquisitionEconomics.parseScored(csv: scoresCSV, file: "scores.csv")
  }

  @Test func readsTheCustomersWithACAC() throws {
    let scores = try Self.scores()
    // d has no CAC: left out.
    #expect(scores.keys.sorted() == ["a", "b", "c"])
    #expect(scores["a"]!.clv == 20 && scores["a"]!.economics.paybackDays == 56)
    #expect(scores["b"]!.economics.paybackDays == nil && scores["b"]!.economics.cac == 6)
  }

  @Test func cohortAggregatesByHand() throws {
    let table = CohortTable(CohortTableCorrectnessTests.log, by: .month, scores: try Self.scores())
    #expect(table.hasPredictions)
    let january = try #require(table.cohorts[0].predicted)
    // a and b: mean CAC (10 + 6)/2 = 8, first-order profit (5 + 4)/2 = 4.5, margin to date
    // (17.5 + 4)/2 = 10.75, CLV (20 + 2)/2 = 11; CLV:CAC (21.5 + 22)/16 = 2.71875. Payback
    // 56 and never: the median of {56, +∞} is +∞, so none; half paid back.
    #expect(january.customers == 2 && january.meanCAC == 8)
    #expect(january.meanFirstOrderProfit == 4.5 && january.meanMarginToDate == 10.75)
    #expect(january.meanCLV == 11 && january.clvToCAC == 2.71875)
    #expect(january.medianPaybackDays == nil && january.paidBackShare == 0.5)
    // February: only c has a CAC (d is left out, not counted as zero).
    let february = try #require(table.cohorts[1].predicted)
    #expect(february.customers == 1 && february.meanCAC == 9 && february.meanCLV == 30)
    assertClose(february.clvToCAC!, 39.0 / 9, relative: 1e-15, source: "by hand, (9 + 30)/9")
    #expect(february.medianPaybackDays == 51 && february.paidBackShare == 1)
    // The CSV: the cohort's summary follows every row of it.
    #expect(
      table.csvLines[0].hasSuffix(
        ",cumulative_revenue_per_customer,"
          + CohortTable.predictedColumns.joined(separator: ",")))
    #expect(
      table.csvLines[1] == "2024-01,,2,0.5,0.5,15,0,1,0.5,11.5,11.5,2,8,4.5,10.75,11,2.71875,,0.5")
    #expect(table.csvLines[4].hasPrefix("2024-02,,2,1,0,26,0,1,0.5,10,10,1,9,6,9,30,4.33"))
    #expect(table.csvLines[4].hasSuffix(",51,1"))
  }

  @Test func medianPaybackCountsTheUnpaidAsNever() {
    func customer(_ payback: Double?) -> AcquisitionEconomics.Scored {
      .init(
        economics: .init(
          cac: 10, firstOrderProfit: 1, marginToDate: 1, clvToCAC: nil, paybackDays: payback),
        clv: 1)
    }
    // {0, 51, 56}: 51. {10, 20}: 15. {10, never, never}: never. {10, 30, never}: 30.
    #expect(AcquisitionEconomics.Summary([0, 51, 56].map(customer))?.medianPaybackDays == 51)
    #expect(AcquisitionEconomics.Summary([10, 20].map(customer))?.medianPaybackDays == 15)
    #expect(AcquisitionEconomics.Summary([10, nil, nil].map(customer))?.medianPaybackDays == nil)
    #expect(AcquisitionEconomics.Summary([10, 30, nil].map(customer))?.medianPaybackDays == 30)
    // No customer with a CAC: no summary; a CAC of 0 throughout: no ratio.
    let free = AcquisitionEconomics.Scored(
      economics: .init(cac: 0, firstOrderProfit: 1, marginToDate: 1, clvToCAC: nil, paybackDays: 0),
      clv: 3)
    var unpriced = free
    unpriced.economics.cac = nil
    #expect(AcquisitionEconomics.Summary([unpriced]) == nil)
    #expect(AcquisitionEconomics.Summary([free])?.clvToCAC == nil)
  }

  @Test func segmentsAndPooling() throws {
    let scores = try Self.scores()
    let table = CohortTable(
      CohortTableCorrectnessTests.log, by: .month,
      segments: ["a": "search", "b": "social", "c": "search"], scores: scores)
    // January: a (search), b (social); February: c (search), d ((missing), no CAC).
    #expect(table.cohorts.map { $0.predicted?.customers ?? 0 } == [1, 1, 0, 1])
    let pooled = table.predictedBySegment
    #expect(pooled.map(\.segment) == ["search", "social"])
    // search: a and c, CAC (10 + 9)/2 = 9.5, CLV:CAC (17.5 + 20 + 9 + 30)/19 = 76.5/19.
    let search = pooled[0].summary
    #expect(search.customers == 2 && search.meanCAC == 9.5 && search.paidBackShare == 1)
    assertClose(search.clvToCAC!, 76.5 / 19, relative: 1e-14, source: "by hand")
    #expect(search.medianPaybackDays == nil)
    // Pooling the two cohorts of the unsegmented table gives the summary of a, b and c but
    // the median: means weighted by customers, the ratio of sums (82.5/25 = 3.3).
    let plain = CohortTable(CohortTableCorrectnessTests.log, by: .month, scores: scores)
    let all = try #require(
      AcquisitionEconomics.Summary.pooled(plain.cohorts.compactMap(\.predicted)))
    let direct = try #require(AcquisitionEconomics.Summary(Array(scores.values)))
    #expect(all.customers == 3 && direct.medianPaybackDays == 56)
    for (x, y) in [
      (all.meanCAC, direct.meanCAC), (all.meanCLV, direct.meanCLV),
      (all.meanFirstOrderProfit, direct.meanFirstOrderProfit),
      (all.meanMarginToDate, direct.meanMarginToDate), (all.clvToCAC!, direct.clvToCAC!),
      (all.paidBackShare, direct.paidBackShare),
    ] {
      assertClose(x, y, relative: 1e-14, source: "pooled = direct (rounding only)")
    }
    assertClose(direct.clvToCAC!, 3.3, relative: 1e-14, source: "by hand, 82.5/25")
  }

  @Test func csvRoundTripWithPredictions() throws {
    let table = CohortTable(
      CohortTableCorrectnessTests.log, by: .month, costs: CohortCostsCorrectnessTests.costs,
      margin: 0.5, scores: try Self.scores())
    let text = table.csvLines.joined(separator: "\n") + "\n"
    let read = try CohortTable.parse(csv: text, file: "cohorts.csv")
    #expect(read.hasPredictions && read.cohorts == table.cohorts)
    #expect(read.csvLines == table.csvLines)
  }
}
