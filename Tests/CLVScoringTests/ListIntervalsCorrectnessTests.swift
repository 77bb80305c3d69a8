import CLVData
import CLVNumerics
import CLVScoring
import TestSupport
import Testing

/// The intervals of target lists (`ListIntervals.swift`, `WinBackCampaign+Intervals.swift`):
/// row bounds, the list total from the total at each draw, and the win-back rates' posterior
/// draws; the expected bounds are computed by hand from the definitions.
@Suite struct ListIntervalsCorrectnessTests {
  /// Two rows that move against each other: row 0 is d at draw d, row 1 is 4 − d (5 draws).
  /// Each row's 50% interval is [Q(0.25), Q(0.75)] of {0, …, 4} = [1, 3] (definition 7:
  /// h = 4 · 0.25 = 1); the total is 4 at every draw, so its interval is [4, 4], not the sum
  /// of the rows' bounds [2, 6].
  @Test func totalComesFromTheTotalAtEachDrawNotFromTheRowBounds() throws {
    let intervals = try ListIntervals(
      level: 0.5, draws: 5, customerIDs: ["a", "b"], columnNames: ["value"], totalColumn: 0,
      total: 4
    ) { row, values in
      for d in 0..<5 { values[0][d] = Double(row == 0 ? d : 4 - d) }
    }
    #expect(intervals.columns.map(\.name) == ["value"])
    #expect(intervals.columns[0].low == [1, 1])
    #expect(intervals.columns[0].high == [3, 3])
    #expect(intervals.totalLow == 4)
    #expect(intervals.totalHigh == 4)
    #expect(intervals.total == 4)
    #expect(intervals.csvHeader == "value_low,value_high")
    #expect(intervals.csvFields(row: 1) == "1,3")
    #expect(intervals.totalDescription(of: "value").contains("50% interval 4.00 to 4.00"))
  }

  @Test func nonFiniteValueNamesTheCustomer() {
    #expect(
      throws: ScoringError.nonFinite(customerID: "b", quantity: "value at a draw (nan)")
    ) {
      try ListIntervals(
        level: 0.9, draws: 3, customerIDs: ["a", "b"], columnNames: ["value"], totalColumn: 0,
        total: 0
      ) { row, values in
        for d in 0..<3 { values[0][d] = row == 1 && d == 2 ? .nan : 1 }
      }
    }
  }

  /// The posterior draws average to the point rates: 20000 draws, 4σ bands from the beta's and
  /// the gamma's standard deviations (a ± 4·sd/√n band).
  @Test func posteriorDrawsAverageToThePointRates() {
    let table = WinBackCorrectnessTests.table
    let state = LapsedState(cyclesBucket: 4, frequencyBucket: 1)
    let n = 20_000
    let draws = table.posteriorDraws(of: [state], count: n, seed: 11)[state]!
    // Beta(20 + 20 · 0.1, 60 + 20 · 0.9) = Beta(22, 78); Gamma(30 + 20 · 1.5, rate 40).
    let (a, b) = (22.0, 78.0)
    let betaSD = (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
    let meanP = draws.probability.reduce(0, +) / Double(n)
    assertClose(
      meanP, table.probability(of: state), absolute: 4 * betaSD / Double(n).squareRoot(),
      source: "posterior mean of Beta(22, 78) = 0.22, 4σ band")
    assertClose(table.probability(of: state), 0.22, relative: 1e-15, source: "22 / 100")
    let gammaSD = 60.0.squareRoot() / 40
    let meanDays = draws.purchaseDays.reduce(0, +) / Double(n)
    assertClose(
      meanDays, table.purchaseDaysIfReactivated(of: state),
      absolute: 4 * gammaSD / Double(n).squareRoot(),
      source: "posterior mean of Gamma(60, 40) = 1.5, 4σ band")
  }

  /// Win-back intervals contain the point values, and the list total's interval is the
  /// percentile interval of the total recomputed at each draw from the public draws (same
  /// seed, same states).
  @Test func winBackIntervalsContainThePointAndTotalIsFromTheDraws() throws {
    let list = try WinBackCampaign.list(
      WinBackCorrectnessTests.records, log: WinBackCorrectnessTests.log(),
      table: WinBackCorrectnessTests.table, rules: try Customers.rules())
    #expect(list.count == 3)
    let draws = 200
    let intervals = try WinBackCampaign.intervals(
      of: list, table: WinBackCorrectnessTests.table, level: 0.9, draws: draws, seed: 5)
    #expect(intervals.columns.map(\.name) == WinBackCampaign.intervalColumns)
    for (row, entry) in list.enumerated() {
      let points = [entry.reactivationProbability, entry.valueIfReactivated, entry.expectedValue]
      for (column, point) in points.enumerated() {
        #expect(intervals.columns[column].low[row] <= point, "row \(row) column \(column)")
        #expect(point <= intervals.columns[column].high[row], "row \(row) column \(column)")
        #expect(intervals.columns[column].low[row] < intervals.columns[column].high[row])
      }
    }
    let total = list.reduce(0) { $0 + $1.expectedValue }
    #expect(intervals.total == total)
    #expect(intervals.totalLow <= total && total <= intervals.totalHigh)
    // By hand: the total at each draw from the same draws.
    let rates = WinBackCorrectnessTests.table.posteriorDraws(
      of: Set(list.map(\.state)), count: draws, seed: 5)
    let totals = (0..<draws).map { d in
      list.reduce(0.0) { sum, entry in
        let (p, days) = rates[entry.state]!
        return sum + p[d] * (days[d] * entry.spendPerPurchaseDay)
      }
    }
    let expected = PercentileInterval.of(totals, level: 0.9)
    assertClose(intervals.totalLow, expected.low, relative: 1e-12, source: "by hand, seed 5")
    assertClose(intervals.totalHigh, expected.high, relative: 1e-12, source: "by hand, seed 5")
    // Three states drawn independently: the total's interval is narrower than the sum of the
    // rows' bounds (for this seed).
    let rowLow = intervals.columns[2].low.reduce(0, +)
    let rowHigh = intervals.columns[2].high.reduce(0, +)
    #expect(intervals.totalHigh - intervals.totalLow < rowHigh - rowLow)
    // The same seed gives the same intervals; another seed others.
    let again = try WinBackCampaign.intervals(
      of: list, table: WinBackCorrectnessTests.table, level: 0.9, draws: draws, seed: 5)
    #expect(again == intervals)
    let other = try WinBackCampaign.intervals(
      of: list, table: WinBackCorrectnessTests.table, level: 0.9, draws: draws, seed: 6)
    #expect(other.totalLow != intervals.totalLow)
  }

  /// A shop where no one ever came back: every state's rate is the point mass at 0 (Beta with
  /// a = 0), so every expected value and the list's total are 0 at every draw, and the
  /// intervals are exactly [0, 0].
  @Test func noReactivationsGiveADegenerateZeroInterval() throws {
    let table = ReactivationTable(
      windowDays: 90, dates: [Customers.asOf - 90],
      cells: [
        LapsedState(cyclesBucket: 4, frequencyBucket: 0): .init(
          customers: 50, reactivated: 0, purchaseDays: 0)
      ])
    let list = try WinBackCampaign.list(
      WinBackCorrectnessTests.records, log: WinBackCorrectnessTests.log(), table: table,
      rules: try Customers.rules())
    let intervals = try WinBackCampaign.intervals(
      of: list, table: table, level: 0.9, draws: 50, seed: 1)
    #expect(intervals.columns[0].high.allSatisfy { $0 == 0 })
    #expect(intervals.columns[2].low.allSatisfy { $0 == 0 })
    #expect(intervals.columns[2].high.allSatisfy { $0 == 0 })
    #expect(intervals.totalLow == 0 && intervals.totalHigh == 0)
    // The purchase days are still drawn: value_if_reactivated has a proper interval.
    #expect(intervals.columns[1].low[0] < intervals.columns[1].high[0])
  }
}
