import CLVData
import CLVScoring
import TestSupport
import Testing

/// The reactivation backtest (`ReactivationTable.swift`) on a hand-made log; every count and
/// rate by hand from the rule.
@Suite struct ReactivationTableCorrectnessTests {
  /// As-of A = 2024-03-01, window 30 days: the one backtest date is t = A − 30. Relative to t:
  /// a bought t−100, t−50 and again t+10; b t−100, t−80, nothing after; c once t−200, then t+5
  /// and t+20; d once t−10, nothing after.
  static func log() -> PurchaseLog {
    let t = Customers.asOf - 30
    func p(_ days: [Int]) -> PurchaseLog.Purchases {
      .init(days: days.map { t + $0 }, amounts: days.map { _ in 1 })
    }
    return PurchaseLog(
      customers: [
        "a": p([-100, -50, 10]), "b": p([-100, -80]), "c": p([-200, 5, 20]), "d": p([-10]),
      ], hasAmounts: true)
  }

  @Test func countsPerStateAtOnePastDate() throws {
    let table = try ReactivationTable.backtest(
      Self.log(), rules: try Customers.rules(), windowDays: 30, dates: 1)
    #expect(table.dates == [Customers.asOf - 30])
    // At t: own gaps a 50, b 20 → population cycle 35. Cycles: a (70 + 50) / 3 = 40, silent
    // 50 → 1.25 (bucket 1), x 1; b (70 + 20) / 3 = 30, silent 80 → 2.67 (bucket 2), x 1;
    // c 35, silent 200 → 5.7 (bucket 3), x 0; d 35, silent 10 → 0.29 (bucket 0), x 0.
    // Within (t, t + 30]: a 1 purchase day, c 2, b and d none.
    let s = { LapsedState(cyclesBucket: $0, frequencyBucket: $1) }
    #expect(
      table.cells == [
        s(1, 1): .init(customers: 1, reactivated: 1, purchaseDays: 1),
        s(2, 1): .init(customers: 1, reactivated: 0, purchaseDays: 0),
        s(3, 0): .init(customers: 1, reactivated: 1, purchaseDays: 2),
        s(0, 0): .init(customers: 1, reactivated: 0, purchaseDays: 0),
      ])
    #expect(table.total == .init(customers: 4, reactivated: 2, purchaseDays: 3))
    // Pooled 2 / 4 = 0.5 and 3 / 2 = 1.5; shrunk with m = 20.
    let source = "hand-computed (k + 20 · pooled) / (n + 20)"
    assertClose(table.probability(of: s(3, 0)), 11.0 / 21, relative: 1e-15, source: source)
    assertClose(table.probability(of: s(2, 1)), 10.0 / 21, relative: 1e-15, source: source)
    assertClose(table.probability(of: s(4, 4)), 0.5, relative: 1e-15, source: source)
    assertClose(
      table.purchaseDaysIfReactivated(of: s(3, 0)), 32.0 / 21, relative: 1e-15, source: source)
    assertClose(table.purchaseDaysIfReactivated(of: s(2, 1)), 1.5, relative: 1e-15, source: source)
  }

  @Test func datesStopAtTheFirstPurchase() throws {
    // First purchase t − 200 = A − 230: dates A − 30k for k ≤ 7 (A − 210), not A − 240.
    let table = try ReactivationTable.backtest(
      Self.log(), rules: try Customers.rules(), windowDays: 30, dates: 10)
    #expect(table.dates == (1...7).map { Customers.asOf - 30 * $0 })
    #expect(throws: ScoringError.self) {
      try ReactivationTable.backtest(Self.log(), rules: try Customers.rules(), windowDays: 0)
    }
    #expect(throws: ScoringError.self) {
      try ReactivationTable.backtest(Self.log(), rules: try Customers.rules(), dates: 0)
    }
  }

  @Test func statesAndTheirNames() {
    #expect(LapsedState(cyclesSinceLastPurchase: 0.99, frequency: 0).description == "<1 cycle, x 0")
    #expect(
      LapsedState(cyclesSinceLastPurchase: 2, frequency: 3).description == "2-4 cycles, x 2-3")
    #expect(
      LapsedState(cyclesSinceLastPurchase: 8, frequency: 8).description == ">=8 cycles, x >=8")
    #expect(LapsedState(cyclesSinceLastPurchase: 1, frequency: 1).description == "1-2 cycles, x 1")
  }

  @Test func historyAtADate() {
    let p = PurchaseLog.Purchases(
      days: [Customers.asOf - 50, Customers.asOf - 20, Customers.asOf - 15], amounts: [1, 2, 3])
    #expect(p.history(asOf: Customers.asOf - 51) == nil)
    #expect(
      p.history(asOf: Customers.asOf - 16)
        == .init(
          firstPurchase: Customers.asOf - 50, lastPurchase: Customers.asOf - 20, frequency: 1,
          longestGapDays: 30))
    #expect(p.count(through: Customers.asOf) == 3)
  }
}
