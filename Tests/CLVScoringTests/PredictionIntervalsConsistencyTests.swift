import CLVData
import CLVModels
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// Per-customer prediction intervals (`clv score --intervals`): they contain the point
/// prediction, shrink to it when the covariance is zero, are the same computed per distinct
/// row as one customer at a time, and are reproducible for a seed.
@Suite struct PredictionIntervalsConsistencyTests {
  let rows: [RFMSummary.Row]
  let bgnbd: BGNBD
  let spend: GammaGamma

  init() throws {
    let path = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let summaries = try CustomerSummaries.read(
      orders: path, format: OrderLogFormat(),
      period: SummaryPeriod(unit: .week, observationEnd: Day(iso: "2024-12-30")))
    rows = summaries.summary.rows
    bgnbd = try BGNBD.fit(summaries.summary)
    spend = try GammaGamma.fit(summaries.summary)
  }

  func intervals(
    _ rows: [RFMSummary.Row], draws: Int = 200, seed: UInt64 = 1, level: Double = 0.9,
    model: BGNBD? = nil, spend: GammaGamma? = nil
  ) throws -> PredictionIntervals {
    let request = try PredictionIntervals.Request.asymptotic(
      level: level, count: draws, seed: seed, model: model ?? bgnbd, spend: spend ?? self.spend)
    return try PredictionIntervals(
      rows: rows, request: request, horizon: 26, discountRate: 0.01, margin: 0.3)
  }

  @Test func intervalsContainThePointPrediction() throws {
    // 100 draws: the debug build of the tests is slow; the check is per customer.
    let intervals = try intervals(rows, draws: 100)
    var scorer = Scorer(
      transactions: bgnbd, spend: spend, horizon: 26, discountRate: 0.01, margin: 0.3)
    var outside = 0
    for (index, row) in rows.enumerated() {
      let score = scorer.score(row)
      let points = [
        score.probabilityAlive, score.expectedPurchases, score.probabilityOfNoPurchase,
        score.expectedSpend!, score.customerValue!,
      ]
      let bounds = [
        intervals.probabilityAlive, intervals.expectedPurchases,
        intervals.probabilityOfNoPurchase, intervals.expectedSpend!, intervals.clv!,
      ]
      for (point, bound) in zip(points, bounds) {
        #expect(bound.low[index] <= bound.high[index])
        // Relative slack 1e-9 for a zero-width interval around the point.
        let slack = 1e-9 * max(1, abs(point))
        if !(bound.low[index] - slack <= point && point <= bound.high[index] + slack) {
          outside += 1
        }
      }
    }
    // The draws are centered on the estimate on the log scale, so each prediction's median
    // over the draws is close to its value at the estimate; at level 0.9 it is inside.
    #expect(outside == 0, "\(outside) predictions outside their interval")
  }

  @Test func zeroCovarianceGivesZeroWidth() throws {
    var report = try #require(bgnbd.fitReport)
    report.logParameterCovariance = Array(repeating: Array(repeating: 0, count: 4), count: 4)
    let fixed = BGNBD(parameters: bgnbd.parameterValues, fitReport: report)
    var spendReport = try #require(spend.fitReport)
    spendReport.logParameterCovariance = Array(
      repeating: Array(repeating: 0, count: 3), count: 3)
    let fixedSpend = GammaGamma(parameters: spend.parameterValues, fitReport: spendReport)
    let intervals = try intervals(rows, draws: 20, model: fixed, spend: fixedSpend)
    var scorer = Scorer(
      transactions: bgnbd, spend: spend, horizon: 26, discountRate: 0.01, margin: 0.3)
    for index in stride(from: 0, to: rows.count, by: 7) {
      let score = scorer.score(rows[index])
      // exp(log θ) differs from θ in the last bits only.
      for (point, bound) in [
        (score.probabilityAlive, intervals.probabilityAlive),
        (score.expectedPurchases, intervals.expectedPurchases),
        (score.customerValue!, intervals.clv!),
      ] {
        assertClose(bound.low[index], point, relative: 1e-12, source: "zero covariance")
        assertClose(bound.high[index], point, relative: 1e-12, source: "zero covariance")
      }
    }
  }

  @Test func perDistinctRowEqualsPerRow() throws {
    let sample = Array(rows.prefix(400))
    let together = try intervals(sample, draws: 50)
    for index in stride(from: 0, to: sample.count, by: 37) {
      let alone = try intervals([sample[index]], draws: 50)
      for (whole, single) in [
        (together.probabilityAlive, alone.probabilityAlive),
        (together.expectedPurchases, alone.expectedPurchases),
        (together.probabilityOfNoPurchase, alone.probabilityOfNoPurchase),
        (together.clv!, alone.clv!),
      ] {
        assertClose(whole.low[index], single.low[0], relative: 1e-12, source: "same draws")
        assertClose(whole.high[index], single.high[0], relative: 1e-12, source: "same draws")
      }
    }
  }

  /// The intervals computed per distinct history (x, tₓ, T), spend input (x, m̄) and row are
  /// those of each customer computed alone, draw by draw with ``Scorer/score(_:)``: equal,
  /// not just close (the same operations on the same values, in the same process), on rows
  /// that share a history with another spend, a spend with another history, and both.
  @Test func perDistinctHistoryEqualsPerRowExactly() throws {
    var sample = Array(rows.prefix(150))
    for (i, row) in rows.prefix(40).enumerated() {
      var otherSpend = row
      otherSpend.customerID += "-m"
      otherSpend.monetaryValue += Double(i % 3 + 1)
      var otherHistory = row
      otherHistory.customerID += "-t"
      otherHistory.age += 1
      sample += [otherSpend, otherHistory, row]
    }
    let request = try PredictionIntervals.Request.asymptotic(
      level: 0.9, count: 30, seed: 4, model: bgnbd, spend: spend)
    let together = try PredictionIntervals(
      rows: sample, request: request, horizon: 26, discountRate: 0.01, margin: 0.3)
    var scorers = (0..<request.transactions.count).map {
      Scorer(
        transactions: request.transactions[$0], spend: request.spend![$0], horizon: 26,
        discountRate: 0.01, margin: 0.3)
    }
    for (index, row) in sample.enumerated() {
      var columns = [[Double]](repeating: [], count: 5)
      for d in scorers.indices {
        let score = scorers[d].score(row)
        columns[0].append(score.probabilityAlive)
        columns[1].append(score.expectedPurchases)
        columns[2].append(score.probabilityOfNoPurchase)
        columns[3].append(score.expectedSpend!)
        columns[4].append(score.customerValue!)
      }
      let computed = [
        together.probabilityAlive, together.expectedPurchases, together.probabilityOfNoPurchase,
        together.expectedSpend!, together.clv!,
      ]
      for (values, bounds) in zip(columns, computed) {
        let alone = PercentileInterval.of(values, level: 0.9)
        #expect(bounds.low[index] == alone.low, "row \(index)")
        #expect(bounds.high[index] == alone.high, "row \(index)")
      }
    }
  }

  @Test func seedMakesTheIntervalsReproducible() throws {
    let sample = Array(rows.prefix(300))
    let first = try intervals(sample, draws: 40, seed: 9)
    #expect(first == (try intervals(sample, draws: 40, seed: 9)))
    #expect(first != (try intervals(sample, draws: 40, seed: 10)))
    // A wider level gives wider intervals from the same draws.
    let wider = try intervals(sample, draws: 40, seed: 9, level: 0.99)
    for index in sample.indices {
      #expect(wider.expectedPurchases.low[index] <= first.expectedPurchases.low[index])
      #expect(wider.expectedPurchases.high[index] >= first.expectedPurchases.high[index])
    }
  }

  @Test func scoreTableWritesTheIntervalColumns() throws {
    let path = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let summaries = try CustomerSummaries.read(
      orders: path, format: OrderLogFormat(),
      period: SummaryPeriod(unit: .week, observationEnd: Day(iso: "2024-12-30")))
    let request = try PredictionIntervals.Request.asymptotic(
      level: 0.8, count: 30, seed: 2, model: bgnbd, spend: spend)
    let table = try ScoreTable(
      summaries: summaries, model: bgnbd, modelUnit: .time(.week), spend: spend,
      intervals: request)
    let file = try Fixtures.temporaryDirectory().appendingPathComponent("scores.csv").path
    let out = try AtomicOutput(path: file)
    try table.write(to: out)
    try out.commit()
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    #expect(lines[0] == (ScoreColumns.all + ScoreColumns.intervals).joined(separator: ","))
    let fields = lines[1].split(separator: ",", omittingEmptySubsequences: false)
    #expect(fields.count == ScoreColumns.all.count + ScoreColumns.intervals.count)
    let low = try #require(Double(fields[ScoreColumns.all.count + 2]))
    let high = try #require(Double(fields[ScoreColumns.all.count + 3]))
    #expect(low == table.intervals?.expectedPurchases.low[0])
    #expect(high == table.intervals?.expectedPurchases.high[0])
    // The scores file still reads (the interval columns are extra columns).
    #expect(try ScoresReader.read(path: file).records.count == summaries.count)
  }
}
