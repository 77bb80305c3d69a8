import CLVData

/// Customer lifetime value: the discounted expected margin over a horizon.
public enum CustomerValue {
  /// Discounted expected margin over `horizon` periods of the model's unit, per period like
  /// lifetimes' `customer_lifetime_value` (with one period = one model unit):
  ///
  ///     CLV = Σ_{i=1}^{H} margin · E[Z | x, z̄] · (E[Y(i) | h] − E[Y(i−1) | h]) / (1 + d)^i
  ///
  /// where E[Y(i) | h] is the transaction model's conditional expected purchases in the next i
  /// units and E[Z | x, z̄] the spend model's conditional mean spend. A fractional horizon adds
  /// a last partial period ending at H, discounted by (1 + d)^H. For an integer H this equals
  /// lifetimes 0.11.3 `_customer_lifetime_value(model, …, time=H, discount_rate=d, freq="M")`
  /// when the model unit is the month (lifetimes' factor 1) and margin = 1.
  ///
  /// - Parameters:
  ///   - horizon: H in model units (≥ 0).
  ///   - discountRate: d per model unit (> −1).
  ///   - margin: fraction of spend that is margin (default 1).
  /// - Returns: the CLV (may be non-finite for degenerate models: check before writing).
  /// - Source: lifetimes 0.11.3 `utils._customer_lifetime_value`; [FHL2005b] (CLV from
  ///   Pareto/NBD and Gamma-Gamma).
  public static func discountedValue(
    transactions: any TransactionModel, spend: any SpendModel, customer: RFMSummary.Row,
    horizon: Double, discountRate: Double, margin: Double = 1
  ) -> Double {
    let value = spend.expectedAverageSpend(for: customer) * margin
    return value
      * discountedPurchases(
        transactions: transactions, customer: customer, horizon: horizon,
        discountRate: discountRate)
  }

  /// Σ_{i=1}^{H} (E[Y(i) | h] − E[Y(i−1) | h]) / (1 + d)^i: the discounted expected purchases
  /// (the CLV per unit of margin per purchase).
  public static func discountedPurchases(
    transactions: any TransactionModel, customer: RFMSummary.Row, horizon: Double,
    discountRate: Double
  ) -> Double {
    guard horizon > 0 else { return 0 }
    let whole = Int(horizon.rounded(.down))
    var total = 0.0
    var previous = 0.0
    let logDiscount = Double.log(onePlus: discountRate)
    if whole >= 1 {
      for i in 1...whole {
        let cumulative = transactions.expectedPurchases(in: Double(i), for: customer)
        total += (cumulative - previous) * Double.exp(-Double(i) * logDiscount)
        previous = cumulative
      }
    }
    if horizon > Double(whole) {
      let cumulative = transactions.expectedPurchases(in: horizon, for: customer)
      total += (cumulative - previous) * Double.exp(-horizon * logDiscount)
    }
    return total
  }
}
