/// Customer summaries collapsed to their distinct (frequency, recency, T, monetary value) rows,
/// each with the number of customers that share it (its weight).
///
/// Every summary-fitted model's likelihood depends on a customer only through these values
/// (the purchase models through (x, tₓ, T), Gamma-Gamma through (x, z̄)), so a fit on the
/// distinct rows with their weights equals the fit on every customer:
///
///     log L(θ) = Σᵢ log L(θ | xᵢ, tₓᵢ, Tᵢ) = Σⱼ wⱼ · log L(θ | xⱼ, tₓⱼ, Tⱼ)
///
/// This is what a warehouse or Spark hands `clv train --weight-column weights` instead of one
/// row per customer (`clv summarize --distinct` does the same locally).
///
/// - Source: [FHL2005a] eq. (6) (the BG/NBD likelihood is a product over customers of terms in
///   (x, tₓ, T) alone); [FH2013] eq. (1a) for Gamma-Gamma (x, z̄).
public struct DistinctSummaryRows: Sendable {
  /// The distinct rows, in order of first appearance; `customerID` is empty.
  public var rows: [RFMSummary.Row]
  /// Per row, the number of customers (Σ of their weights when the input had weights).
  public var weights: [Double]
  /// The time unit of recency and T.
  public var unit: TimeUnit
  /// Whether the monetary value is part of the rows (the input had amounts).
  public var hasMonetaryValue: Bool

  /// Collapses `summaries` (the calibration period when it has holdout statistics; holdout
  /// columns and cohorts are not part of the rows). Values are compared exactly (bit for bit).
  ///
  /// - Complexity: O(n) expected, one hash lookup per customer.
  public init(_ summaries: CustomerSummaries) {
    struct Key: Hashable {
      var frequency: Int
      var recency: UInt64
      var age: UInt64
      var money: UInt64
    }
    let money = summaries.hasMonetaryValue
    var index: [Key: Int] = [:]
    var rows: [RFMSummary.Row] = []
    var weights: [Double] = []
    for (i, row) in summaries.summary.rows.enumerated() {
      let w = summaries.weights?[i] ?? 1
      let key = Key(
        frequency: row.frequency, recency: row.recency.bitPattern, age: row.age.bitPattern,
        money: money ? row.monetaryValue.bitPattern : 0)
      if let j = index[key] {
        weights[j] += w
      } else {
        index[key] = rows.count
        rows.append(
          RFMSummary.Row(
            customerID: "", frequency: row.frequency, recency: row.recency, age: row.age,
            monetaryValue: money ? row.monetaryValue : 0))
        weights.append(w)
      }
    }
    self.rows = rows
    self.weights = weights
    unit = summaries.unit
    hasMonetaryValue = money
  }

  /// The number of distinct rows.
  public var count: Int { rows.count }

  /// Σ weights: the number of customers.
  public var customers: Double { weights.reduce(0, +) }
}
