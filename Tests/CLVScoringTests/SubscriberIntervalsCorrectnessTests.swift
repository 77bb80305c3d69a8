import CLVData
import CLVModels
import CLVNumerics
import CLVScoring
import TestSupport
import Testing

/// Per-subscriber intervals of the sBG's and the BdW's projections
/// (`SubscriberScoreTable+Intervals.swift`): the bounds by hand from the sBG's closed forms
/// ([FH2007] eq. (8), [FH2010] DERL) at each draw, containment of the point, zero width at a
/// zero covariance, the empty and zero bounds of cancelled subscribers.
@Suite struct SubscriberIntervalsCorrectnessTests {
  /// The sBG at the Regular cohort's estimates of [FH2007] (γ = 0.704, δ = 1.182) with a
  /// log-parameter covariance of the size the 1,000 subscribers give (variances 0.01, a
  /// positive correlation 0.8 as γ and δ have).
  static func sbg(variance: Double = 0.01) -> SBG {
    var report = FitReport(
      logLikelihood: 0, standardErrors: nil, iterations: 0, functionEvaluations: 0,
      gradientNorm: 0, converged: true, seconds: 0, customers: 1000, distinctRows: 13)
    report.logParameterCovariance = [
      [variance, 0.8 * variance], [0.8 * variance, variance],
    ]
    return SBG(gamma: 0.704, delta: 1.182, fitReport: report)
  }

  /// Four subscribers as of period 6: two active after 6 and 3 renewals, one cancelled at 2.
  static let data = SubscriberData(
    file: "subscribers.csv",
    subscribers: [
      .init(customerID: "a", start: 0, end: nil), .init(customerID: "b", start: 3, end: nil),
      .init(customerID: "c", start: 0, end: 2), .init(customerID: "d", start: 0, end: nil),
    ])

  @Test func boundsArePercentilesOfTheClosedFormsAtEachDraw() throws {
    let model = Self.sbg()
    let request = try SubscriberScoreTable.IntervalRequest.asymptotic(
      level: 0.9, count: 200, seed: 4, model: model)
    let table = try SubscriberScoreTable(
      data: Self.data, model: model, asOf: 6, horizon: 12, discountRate: 0.1,
      intervals: request)
    let intervals = try #require(table.intervals)
    #expect(intervals.draws == 200)
    let draws = request.models.map { $0 as! SBG }
    for (i, renewals) in [(0, 6), (1, 3)] {
      #expect(table.rows[i].renewals == renewals)
      // Retention of the next renewal decision, (δ + a)/(γ + δ + a) ([FH2007] eq. (8) at
      // t = a + 1), and DERL in closed form ([FH2010]), at each draw.
      let retention = PercentileInterval.of(
        draws.map { $0.closedFormRetentionRate(renewals + 1) }, level: 0.9)
      let derl = PercentileInterval.of(
        draws.map { $0.closedFormDERL(renewals: renewals, discountRate: 0.1) }, level: 0.9)
      let source = "FH2007 eq. (8), FH2010 DERL, at 200 draws (seed 4)"
      assertClose(intervals.low[0][i]!, retention.low, relative: 1e-12, source: source)
      assertClose(intervals.high[0][i]!, retention.high, relative: 1e-12, source: source)
      assertClose(intervals.low[3][i]!, derl.low, relative: 1e-8, source: source)
      assertClose(intervals.high[3][i]!, derl.high, relative: 1e-8, source: source)
      // Every interval contains its point and has width.
      let row = table.rows[i]
      let points = [row.retentionNext!, row.probabilityActive, row.expectedPeriods, row.derl!]
      for c in 0..<4 {
        #expect(intervals.low[c][i]! < points[c] && points[c] < intervals.high[c][i]!)
      }
    }
    // The same renewals, the same bounds (computed once per distinct number of renewals).
    #expect(table.rows[3].renewals == 6)
    #expect((0..<4).allSatisfy { intervals.low[$0][3] == intervals.low[$0][0] })
    // The cancelled subscriber: no retention, projections 0 at every draw.
    #expect(intervals.low[0][2] == nil && intervals.high[0][2] == nil)
    #expect((1..<4).allSatisfy { intervals.low[$0][2] == 0 && intervals.high[$0][2] == 0 })
    // The CSV rows end with the eight bounds.
    let text = String(decoding: table.csvBytes, as: UTF8.self)
    #expect(
      text.hasPrefix(
        ScoreColumns.subscriber.joined(separator: ",") + ","
          + ScoreColumns.subscriberIntervals.joined(separator: ",") + "\n"))
    #expect(text.contains("\nc,0,2,1,0,,0,0,0,sbg,,,0,0,0,0,0,0\n"))
  }

  @Test func zeroCovarianceGivesThePoint() throws {
    let model = Self.sbg(variance: 0)
    let request = try SubscriberScoreTable.IntervalRequest.asymptotic(
      level: 0.8, count: 20, seed: 1, model: model)
    let table = try SubscriberScoreTable(
      data: Self.data, model: model, asOf: 6, horizon: 5, discountRate: 0,
      intervals: request)
    let intervals = try #require(table.intervals)
    let row = table.rows[1]
    // exp(log θ) differs from θ in the last bits only.
    for (c, point) in [
      (0, row.retentionNext!), (1, row.probabilityActive), (2, row.expectedPeriods),
    ] {
      assertClose(intervals.low[c][1]!, point, relative: 1e-12, source: "zero covariance")
      assertClose(intervals.high[c][1]!, point, relative: 1e-12, source: "zero covariance")
    }
    // Without a discount rate derl is empty, and so are its bounds.
    #expect(intervals.low[3].allSatisfy { $0 == nil })
  }

  /// The BdW draws c too: its intervals contain the points as the sBG's do.
  @Test func bdwIntervalsContainThePoint() throws {
    var report = Self.sbg().fitReport!
    report.logParameterCovariance = [[0.01, 0, 0], [0, 0.01, 0], [0, 0, 0.005]]
    let model = BDW(gamma: 0.7, delta: 1.2, c: 1.28, fitReport: report)
    let table = try SubscriberScoreTable(
      data: Self.data, model: model, asOf: 6, horizon: 12, discountRate: 0.1,
      intervals: try .asymptotic(level: 0.9, count: 100, seed: 2, model: model))
    let intervals = try #require(table.intervals)
    let row = table.rows[0]
    let points = [row.retentionNext!, row.probabilityActive, row.expectedPeriods, row.derl!]
    for c in 0..<4 {
      #expect(intervals.low[c][0]! < points[c] && points[c] < intervals.high[c][0]!, "\(c)")
    }
  }
}
