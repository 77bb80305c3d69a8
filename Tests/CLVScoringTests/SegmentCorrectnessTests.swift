import CLVData
import CLVScoring
import Testing

/// Every segment pinned by a hand-made customer; expected values follow from the rule in
/// `Segment.swift` (value threshold 100 given, alive threshold 0.5, new window 30 days).
@Suite struct SegmentCorrectnessTests {
  let rules: SegmentationRules
  init() throws { rules = try Customers.rules(valueThreshold: 100) }

  func segment(_ customer: CustomerFacts) throws -> Segment {
    try rules.segment(of: customer, valueThreshold: 100)
  }

  @Test func prospectHasNoOrders() throws {
    #expect(try segment(.prospect("p1")) == .prospect)
  }

  @Test func oneTimeBuyerWithinTheWindowIsANewBuyer() throws {
    // 30 days ago is still within the 30-day window (≤); 31 days is not.
    let inside = Customers.make("n1", firstAgo: 30, lastAgo: 30, frequency: 0, pAlive: 1, clv: 500)
    let outside = Customers.make("n2", firstAgo: 31, lastAgo: 31, frequency: 0, pAlive: 1, clv: 500)
    #expect(try segment(inside) == .newBuyer)
    #expect(try segment(outside) == .loyal)
  }

  @Test func repeatBuyerIsNeverANewBuyer() throws {
    let c = Customers.make("r", firstAgo: 10, lastAgo: 2, frequency: 1, pAlive: 0.9, clv: 50)
    #expect(try segment(c) == .lowAOVRegular)
  }

  @Test func quadrants() throws {
    let old = (firstAgo: 400, lastAgo: 20, frequency: 5)
    func make(_ id: String, _ pAlive: Double, _ clv: Double) -> CustomerFacts {
      Customers.make(
        id, firstAgo: old.firstAgo, lastAgo: old.lastAgo, frequency: old.frequency,
        pAlive: pAlive, clv: clv)
    }
    #expect(try segment(make("loyal", 0.9, 150)) == .loyal)
    #expect(try segment(make("low", 0.9, 40)) == .lowAOVRegular)
    #expect(try segment(make("risk", 0.2, 150)) == .atRisk)
    #expect(try segment(make("none", 0.2, 40)) == .nonTarget)
  }

  @Test func boundaries() throws {
    // Active at exactly the alive threshold (≥); high value only strictly above the threshold.
    let atThresholds = Customers.make(
      "b", firstAgo: 400, lastAgo: 20, frequency: 5, pAlive: 0.5,
      clv: 100)
    #expect(try segment(atThresholds) == .lowAOVRegular)
    let justAbove = Customers.make(
      "c", firstAgo: 400, lastAgo: 20, frequency: 5, pAlive: 0.5,
      clv: 100.000_001)
    #expect(try segment(justAbove) == .loyal)
  }

  @Test func churnModelReplacesPAliveOnTheActivityAxis() throws {
    // P(alive) 0.9 says active; churn probability 0.7 (activity 0.3) says not.
    let c = Customers.make(
      "k", firstAgo: 400, lastAgo: 20, frequency: 5, pAlive: 0.9, clv: 150,
      churn: 0.7)
    #expect(try segment(c) == .atRisk)
  }

  @Test func expectedPurchasesAreTheValueWithoutCLV() throws {
    let c = Customers.make(
      "e", firstAgo: 400, lastAgo: 20, frequency: 5, pAlive: 0.9, clv: nil,
      expectedPurchases: 3)
    #expect(try rules.segment(of: c, valueThreshold: 2) == .loyal)
    // No spend: the low-value active quadrant has no spend words.
    #expect(try rules.segment(of: c, valueThreshold: 3) == .lowFrequencyRegular)
  }

  @Test func rawValuesAreTheFileNames() {
    #expect(
      Segment.allCases.map(\.rawValue) == [
        "prospect", "new-buyer", "loyal", "low-aov-regular", "at-risk", "non-target",
        "low-frequency-regular",
      ])
  }
}
