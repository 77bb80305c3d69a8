import CLVData
import CLVScoring

/// Hand-made customers for the rule tests. Dates are relative to `asOf` = 2024-03-01.
enum Customers {
  static let asOf = Day(year: 2024, month: 3, day: 1)!

  /// A customer with orders: first purchase `firstAgo` days before as-of, last `lastAgo`.
  static func make(
    _ id: String, firstAgo: Int, lastAgo: Int, frequency: Int, longestGap: Int = 0,
    pAlive: Double, clv: Double?, expectedPurchases: Double? = nil,
    churn: Double? = nil, waitingDays: Double? = nil
  ) -> CustomerFacts {
    CustomerFacts(
      customerID: id,
      history: .init(
        firstPurchase: asOf - firstAgo, lastPurchase: asOf - lastAgo, frequency: frequency,
        longestGapDays: longestGap),
      probabilityAlive: pAlive, expectedPurchases: expectedPurchases, clv: clv,
      churnProbability: churn, expectedWaitingDays: waitingDays)
  }

  static func rules(
    aliveThreshold: Double = 0.5, valueThreshold: Double? = nil, newWindowDays: Int = 30,
    departingDays: [Int] = [90, 180, 360]
  ) throws -> SegmentationRules {
    try SegmentationRules(
      asOf: asOf, aliveThreshold: aliveThreshold, valueThreshold: valueThreshold,
      newWindowDays: newWindowDays, departingDays: departingDays)
  }
}
