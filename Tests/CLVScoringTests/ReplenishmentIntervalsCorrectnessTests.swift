import CLVData
import CLVModels
import CLVNumerics
import CLVScoring
import TestSupport
import Testing

/// The intervals of a replenishment list's clv (`ReplenishmentCampaign+Intervals.swift`) on
/// hand-made score rows whose clv is the point clv of a BG/NBD and a Gamma-Gamma with a
/// hand-made covariance: the row bounds, the total from the total at each draw, the check that
/// the models are the ones the scores were made with.
@Suite struct ReplenishmentIntervalsCorrectnessTests {
  let asOf = Customers.asOf
  let horizon = 26.0
  let discountRate = 0.01
  let margin = 0.3

  /// A fit report with the given log-parameter covariance (diagonal `variance`).
  static func report(parameters: Int, variance: Double) -> FitReport {
    var report = FitReport(
      logLikelihood: 0, standardErrors: nil, iterations: 0, functionEvaluations: 0,
      gradientNorm: 0, converged: true, seconds: 0, customers: 100, distinctRows: 100)
    report.logParameterCovariance = (0..<parameters).map { i in
      (0..<parameters).map { j in i == j ? variance : 0 }
    }
    return report
  }

  /// The CDNOW estimates of [FHL2005a] (per week) and Gamma-Gamma values of [FH2013].
  let bgnbd = BGNBD(
    r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, fitReport: report(parameters: 4, variance: 0.01))
  let spend = GammaGamma(
    p: 6.25, q: 3.74, gamma: 15.44, fitReport: report(parameters: 3, variance: 0.01))

  /// Three active customers due within the window, with the point clv in the record.
  func records() -> [ScoreRecord] {
    let histories: [(String, Int, Double, Double, Double, Int)] = [
      ("a", 4, 30, 38, 25, 3), ("b", 1, 10, 35, 40, -2), ("c", 9, 36, 39, 12, 7),
    ]
    var scorer = Scorer(
      transactions: bgnbd, spend: spend, horizon: horizon, discountRate: discountRate,
      margin: margin)
    return histories.map { id, x, recency, age, money, due in
      let row = RFMSummary.Row(
        customerID: id, frequency: x, recency: recency, age: age, monetaryValue: money)
      return ScoreRecord(
        customerID: id, line: 2, frequency: x, probabilityAlive: 0.9,
        clv: scorer.score(row).customerValue, segment: .loyal, lifecycleStage: .active,
        lastPurchase: asOf - 20, expectedNextPurchase: asOf + due, recency: recency, age: age,
        monetaryValue: money)
    }
  }

  func intervals(
    _ records: [ScoreRecord], request: PredictionIntervals.Request
  ) throws -> ListIntervals {
    let list = ReplenishmentCampaign.list(records, options: try .init(asOf: asOf))
    return try ReplenishmentCampaign.intervals(
      of: list, model: bgnbd, spend: spend, request: request, horizon: horizon,
      discountRate: discountRate, margin: margin, file: "scores.csv")
  }

  @Test func boundsContainThePointAndTotalIsFromTheDraws() throws {
    let records = records()
    let list = ReplenishmentCampaign.list(records, options: try .init(asOf: asOf))
    #expect(list.map(\.record.customerID) == ["b", "a", "c"])
    let request = try PredictionIntervals.Request.asymptotic(
      level: 0.9, count: 100, seed: 2, model: bgnbd, spend: spend)
    let intervals = try intervals(records, request: request)
    #expect(intervals.columns.map(\.name) == ["clv"])
    for (row, entry) in list.enumerated() {
      let clv = try #require(entry.record.clv)
      #expect(intervals.columns[0].low[row] < clv && clv < intervals.columns[0].high[row])
    }
    let total = list.reduce(0) { $0 + $1.record.clv! }
    #expect(intervals.total == total)
    #expect(intervals.totalLow < total && total < intervals.totalHigh)
    // By hand: the total clv at each draw, each customer scored by the draw's models.
    let totals = request.transactions.indices.map { d in
      var scorer = Scorer(
        transactions: request.transactions[d], spend: request.spend![d], horizon: horizon,
        discountRate: discountRate, margin: margin)
      return list.reduce(0.0) { $0 + scorer.score($1.record.summaryRow!).customerValue! }
    }
    let expected = PercentileInterval.of(totals, level: 0.9)
    assertClose(intervals.totalLow, expected.low, relative: 1e-12, source: "by hand, seed 2")
    assertClose(intervals.totalHigh, expected.high, relative: 1e-12, source: "by hand, seed 2")
  }

  /// Every draw the point models: every bound is the point clv and the total's bounds the
  /// total, exactly (the same Scorer arithmetic on the same numbers).
  @Test func drawsAtThePointGiveZeroWidth() throws {
    let records = records()
    let request = PredictionIntervals.Request(
      level: 0.9, transactions: [bgnbd, bgnbd, bgnbd], spend: [spend, spend, spend])
    let intervals = try intervals(records, request: request)
    let list = ReplenishmentCampaign.list(records, options: try .init(asOf: asOf))
    #expect(intervals.columns[0].low == list.map { $0.record.clv! })
    #expect(intervals.columns[0].high == list.map { $0.record.clv! })
    #expect(intervals.totalLow == intervals.total && intervals.totalHigh == intervals.total)
  }

  /// Scores made with other options (a clv 1% off) or without a history are file errors.
  @Test func scoresFromOtherModelsOrWithoutHistoryAreErrors() throws {
    let request = PredictionIntervals.Request(
      level: 0.9, transactions: [bgnbd, bgnbd], spend: [spend, spend])
    var changed = records()
    changed[1].clv = changed[1].clv! * 1.01
    #expect(throws: DataError.self) { try intervals(changed, request: request) }
    var missing = records()
    missing[0].recency = nil
    #expect(throws: DataError.self) { try intervals(missing, request: request) }
  }
}
