import CLVData
import CLVScoring
import Testing

/// Out-of-range rules and inconsistent customers are errors that say what is wrong.
@Suite struct SegmentationRulesInputTests {
  @Test func invalidThresholds() {
    #expect(throws: ScoringError.self) { try Customers.rules(aliveThreshold: 1.5) }
    #expect(throws: ScoringError.self) { try Customers.rules(aliveThreshold: -0.1) }
    #expect(throws: ScoringError.self) { try Customers.rules(valueThreshold: .nan) }
    #expect(throws: ScoringError.self) { try Customers.rules(newWindowDays: -1) }
    #expect(throws: ScoringError.self) { try Customers.rules(departingDays: []) }
    #expect(throws: ScoringError.self) { try Customers.rules(departingDays: [0, 90]) }
    #expect(throws: ScoringError.self) { try Customers.rules(departingDays: [180, 90]) }
    #expect(throws: ScoringError.self) { try Customers.rules(departingDays: [90, 90]) }
  }

  @Test func purchaseAfterAsOfIsAnError() throws {
    let rules = try Customers.rules()
    let future = Customers.make("f", firstAgo: 10, lastAgo: -1, frequency: 1, pAlive: 1, clv: 1)
    #expect(
      throws: ScoringError.inconsistentDates(
        customerID: "f", reason: "last purchase 2024-03-02 is after the as-of date 2024-03-01")
    ) {
      try rules.lifecycleStage(of: future)
    }
    let backwards = Customers.make("b", firstAgo: 1, lastAgo: 5, frequency: 1, pAlive: 1, clv: 1)
    #expect(throws: ScoringError.self) { try rules.segment(of: backwards, valueThreshold: 0) }
  }

  @Test func nonFiniteModelOutputsAreErrors() throws {
    let rules = try Customers.rules()
    let nanCLV = Customers.make(
      "n", firstAgo: 100, lastAgo: 5, frequency: 2, pAlive: 1,
      clv: .nan)
    #expect(throws: ScoringError.nonFinite(customerID: "n", quantity: "CLV")) {
      try rules.segment(of: nanCLV, valueThreshold: 0)
    }
    let noValue = Customers.make("v", firstAgo: 100, lastAgo: 5, frequency: 2, pAlive: 1, clv: nil)
    #expect(throws: ScoringError.self) { try rules.medianValueThreshold(of: [noValue]) }
    let nanChurn = Customers.make(
      "c", firstAgo: 100, lastAgo: 5, frequency: 2, pAlive: 1,
      clv: 1, churn: .nan)
    #expect(throws: ScoringError.nonFinite(customerID: "c", quantity: "churn probability")) {
      try rules.segment(of: nanChurn, valueThreshold: 0)
    }
    let nanWait = Customers.make(
      "w", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1,
      clv: 1, waitingDays: .nan)
    #expect(throws: ScoringError.self) { try rules.expectedNextPurchase(of: nanWait) }
    let negativeWait = Customers.make(
      "w", firstAgo: 5, lastAgo: 5, frequency: 0, pAlive: 1,
      clv: 1, waitingDays: -2)
    #expect(throws: ScoringError.self) { try rules.expectedNextPurchase(of: negativeWait) }
  }

  @Test func descriptionsLeadWithTheSubject() {
    #expect(
      ScoringError.nonFinite(customerID: "42", quantity: "CLV").description
        == "customer '42': CLV is not finite")
    #expect(ScoringError.invalidRules("x").exitCode == 64)
    #expect(ScoringError.nonFinite(customerID: "", quantity: "").exitCode == 70)
  }
}
