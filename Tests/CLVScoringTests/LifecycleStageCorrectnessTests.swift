import CLVData
import CLVScoring
import Testing

/// Every lifecycle stage pinned by a hand-made customer; expected values follow from the rule
/// in `LifecycleStage.swift` (thresholds 90, 180, 360 unless said otherwise).
@Suite struct LifecycleStageCorrectnessTests {
  let rules: SegmentationRules
  init() throws { rules = try Customers.rules() }

  func stage(lastAgo: Int, frequency: Int = 3, longestGap: Int = 10) throws -> LifecycleStage? {
    try rules.lifecycleStage(
      of: Customers.make(
        "c", firstAgo: max(lastAgo, 500), lastAgo: lastAgo,
        frequency: frequency, longestGap: frequency == 0 ? 0 : longestGap, pAlive: 0.5, clv: 1))
  }

  @Test func prospectHasNoStage() throws {
    #expect(try rules.lifecycleStage(of: .prospect("p")) == nil)
  }

  @Test func newIsOnePurchaseDay() throws {
    #expect(try stage(lastAgo: 5, frequency: 0) == .new)
    #expect(try stage(lastAgo: 90, frequency: 0) == .new)
  }

  @Test func activeBoughtRecently() throws {
    #expect(try stage(lastAgo: 0) == .active)
    #expect(try stage(lastAgo: 90) == .active)  // departing only after more than 90 days
  }

  @Test func departingStagesByDaysSinceLastPurchase() throws {
    #expect(try stage(lastAgo: 91) == .departing(days: 90))
    #expect(try stage(lastAgo: 180) == .departing(days: 90))
    #expect(try stage(lastAgo: 181) == .departing(days: 180))
    #expect(try stage(lastAgo: 360) == .departing(days: 180))
    #expect(try stage(lastAgo: 361) == .departing(days: 360))
    #expect(try stage(lastAgo: 5000) == .departing(days: 360))
  }

  @Test func departingComesBeforeNew() throws {
    #expect(try stage(lastAgo: 400, frequency: 0) == .departing(days: 360))
  }

  @Test func returnedAfterAGapLongerThanTheFirstThreshold() throws {
    #expect(try stage(lastAgo: 10, longestGap: 91) == .returned)
    #expect(try stage(lastAgo: 10, longestGap: 90) == .active)
    // A returned customer who is away again is departing.
    #expect(try stage(lastAgo: 100, longestGap: 200) == .departing(days: 90))
  }

  @Test func configurableThresholds() throws {
    let rules = try Customers.rules(departingDays: [30, 60])
    let c = Customers.make(
      "c", firstAgo: 300, lastAgo: 45, frequency: 2, longestGap: 20,
      pAlive: 0.5, clv: 1)
    #expect(try rules.lifecycleStage(of: c) == .departing(days: 30))
    let back = Customers.make(
      "d", firstAgo: 300, lastAgo: 5, frequency: 2, longestGap: 31,
      pAlive: 0.5, clv: 1)
    #expect(try rules.lifecycleStage(of: back) == .returned)
  }

  @Test func namesRoundTrip() {
    for stage: LifecycleStage in [
      .new, .active, .returned, .departing(days: 90),
      .departing(days: 45),
    ] {
      #expect(LifecycleStage(stage.description) == stage)
    }
    #expect(
      LifecycleStage(LifecycleStage.departing(days: 180).description)?.description
        == "departing-180")
    for bad in ["", "New", "departing-", "departing-0", "departing-x", "departing--5"] {
      #expect(LifecycleStage(bad) == nil, "\(bad)")
    }
  }
}
