import CLVData
import CLVScoring
import TestSupport
import Testing

/// The parallel labelling equals the one-customer rules, and the appended fields match the
/// column list.
@Suite struct ScoreAugmenterConsistencyTests {
  /// Random customers (seeded) covering every branch of the rules.
  static func randomCustomers(_ count: Int, seed: UInt64) -> [CustomerFacts] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { i in
      if i % 97 == 0 { return .prospect("p\(i)") }
      let first = Int.random(in: 0...800, using: &random)
      let last = Int.random(in: 0...first, using: &random)
      let frequency = first == last ? 0 : Int.random(in: 1...10, using: &random)
      let value = Double.random(in: 0...500, using: &random)
      return Customers.make(
        "c\(i)", firstAgo: first, lastAgo: last, frequency: frequency,
        longestGap: frequency == 0 ? 0 : Int.random(in: 0...(first - last), using: &random),
        pAlive: Double.random(in: 0...1, using: &random),
        clv: i % 5 == 0 ? nil : value, expectedPurchases: value,
        churn: i % 3 == 0 ? Double.random(in: 0...1, using: &random) : nil,
        waitingDays: Double.random(in: 0...100, using: &random))
    }
  }

  @Test func parallelLabelsEqualTheRulesOneByOne() throws {
    let customers = Self.randomCustomers(20_000, seed: 42)
    let given = try Customers.rules()
    let augmenter = try ScoreAugmenter(
      customers: customers, rules: given, models: ModelIDs(transaction: "bgnbd"))
    // The augmenter fills in the population cycle from the file, then applies the rules.
    #expect(given.populationCycleDays == nil)
    let cycle = try #require(SegmentationRules.medianCycleDays(of: customers))
    #expect(augmenter.rules.populationCycleDays == cycle)
    let rules = augmenter.rules
    #expect(augmenter.valueThreshold == (try rules.medianValueThreshold(of: customers)))
    for (i, customer) in customers.enumerated() {
      // The three rules one by one (the fused `labels(of:)` must agree with them).
      let expected = CustomerLabels(
        segment: try rules.segment(of: customer, valueThreshold: augmenter.valueThreshold),
        lifecycleStage: try rules.lifecycleStage(of: customer),
        expectedNextPurchase: try rules.expectedNextPurchase(of: customer))
      #expect(try rules.labels(of: customer, valueThreshold: augmenter.valueThreshold) == expected)
      if augmenter.labels[i] != expected {
        Issue.record("customer \(i): \(augmenter.labels[i]) != \(expected)")
        break
      }
    }
    // Every segment and stage occurs in this sample (so the comparison covers them all).
    #expect(Set(augmenter.labels.map(\.segment)) == Set(Segment.allCases))
    let stages = Set(augmenter.labels.compactMap { $0.lifecycleStage?.description })
    #expect(
      stages == [
        "new", "active", "returned", "departing-90", "departing-180",
        "departing-360",
      ])
  }

  @Test func firstErrorInInputOrderIsReported() throws {
    var customers = Self.randomCustomers(30_000, seed: 1)
    customers[12_345].probabilityAlive = .nan
    customers[12_345].churnProbability = nil
    customers[29_000].clv = .infinity
    let rules = try Customers.rules(valueThreshold: 10)
    #expect(throws: ScoringError.nonFinite(customerID: "c12345", quantity: "P(alive)")) {
      try ScoreAugmenter(customers: customers, rules: rules, models: ModelIDs(transaction: "x"))
    }
  }

  @Test func appendedFields() throws {
    let asOf = Customers.asOf
    let customers = [
      Customers.make(
        "a", firstAgo: 100, lastAgo: 20, frequency: 2, pAlive: 0.9, clv: 150,
        churn: 0.25),
      .prospect("p,1"),
    ]
    let augmenter = try ScoreAugmenter(
      customers: customers, rules: try Customers.rules(valueThreshold: 100),
      models: ModelIDs(transaction: "bgnbd", spend: "gamma-gamma", churn: "churn-logit"))
    // a: loyal (150 > 100, 1 − 0.25 ≥ 0.5), active, next = last + 40 = as-of + 20.
    #expect(
      augmenter.fields(row: 0) == ",loyal,active,2024-03-01,2023-11-22,2024-02-10,"
        + "\(asOf + 20),0.25,bgnbd,gamma-gamma,churn-logit")
    #expect(augmenter.fields(row: 1) == ",prospect,,2024-03-01,,,,,bgnbd,gamma-gamma,churn-logit")
    #expect(
      augmenter.fields(row: 0).split(separator: ",", omittingEmptySubsequences: false)
        .count == ScoreAugmenter.columns.count + 1)
  }
}
