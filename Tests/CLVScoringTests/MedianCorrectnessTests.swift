import CLVData
import CLVScoring
import TestSupport
import Testing

/// The median by selection against the definition (sort, take the middle), and the default
/// value threshold (median CLV of the active customers).
@Suite struct MedianCorrectnessTests {
  @Test func oddAndEvenCounts() {
    var odd = [5.0, 1, 4, 2, 3]
    #expect(Median.of(&odd) == 3)  // exact: middle of 1 2 3 4 5
    var even = [4.0, 1, 3, 2]
    #expect(Median.of(&even) == 2.5)  // exact: (2 + 3) / 2
    var one = [7.0]
    #expect(Median.of(&one) == 7)
    var two = [9.0, -1]
    #expect(Median.of(&two) == 4)
    var empty: [Double] = []
    #expect(Median.of(&empty) == nil)
  }

  @Test func duplicatesAndSortedInputs() {
    var same = [Double](repeating: 2, count: 1001)
    #expect(Median.of(&same) == 2)
    var ascending = (0..<1000).map(Double.init)
    #expect(Median.of(&ascending) == 499.5)  // exact: (499 + 500) / 2
    var descending = (0..<999).reversed().map(Double.init)
    #expect(Median.of(&descending) == 499)  // 999 values 0…998
    var twoValues = (0..<1000).map { Double($0 % 2) }
    #expect(Median.of(&twoValues) == 0.5)  // 500 zeros, 500 ones
  }

  @Test func agreesWithSortingOnRandomInputs() {
    var random = SeededGenerator(seed: 7)
    for trial in 0..<200 {
      let count = 1 + trial % 57 + (trial % 5 == 0 ? 3000 : 0)
      var values = (0..<count).map { _ in Double(Int.random(in: -20...20, using: &random)) }
      let sorted = values.sorted()
      let expected =
        count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
      #expect(Median.of(&values) == expected, "trial \(trial), count \(count)")
    }
  }

  @Test func valueThresholdIsTheMedianOfActiveCustomers() throws {
    let rules = try Customers.rules()
    func c(_ id: String, _ pAlive: Double, _ clv: Double) -> CustomerFacts {
      Customers.make(id, firstAgo: 200, lastAgo: 10, frequency: 3, pAlive: pAlive, clv: clv)
    }
    // Active (P(alive) ≥ 0.5): 10, 30, 20 → median 20; the inactive 1000 and prospect ignored.
    let odd = [
      c("a", 0.9, 10), c("b", 0.5, 30), c("c", 0.7, 20), c("d", 0.1, 1000),
      .prospect("p"),
    ]
    #expect(try rules.medianValueThreshold(of: odd) == 20)
    // Even: active 10, 30, 20, 50 → (20 + 30) / 2 = 25.
    #expect(try rules.medianValueThreshold(of: odd + [c("e", 0.6, 50)]) == 25)
    // No active customer: the median of all customers with orders: 1000, 3 → 501.5.
    #expect(try rules.medianValueThreshold(of: [c("d", 0.1, 1000), c("f", 0.2, 3)]) == 501.5)
    // Nobody with orders: 0.
    #expect(try rules.medianValueThreshold(of: [.prospect("p")]) == 0)
    // With a churn model, activity is 1 − churn probability: only "b" (churn 0.2) is active.
    let churned = [
      Customers.make(
        "a", firstAgo: 200, lastAgo: 10, frequency: 3, pAlive: 0.9, clv: 10,
        churn: 0.8),
      Customers.make(
        "b", firstAgo: 200, lastAgo: 10, frequency: 3, pAlive: 0.1, clv: 70,
        churn: 0.2),
    ]
    #expect(try rules.medianValueThreshold(of: churned) == 70)
  }

  @Test func givenThresholdWins() throws {
    let rules = try Customers.rules(valueThreshold: 12.5)
    let c = Customers.make("a", firstAgo: 200, lastAgo: 10, frequency: 3, pAlive: 0.9, clv: 99)
    #expect(try rules.resolvedValueThreshold(for: [c]) == 12.5)
  }
}
