import CLVData
import CLVNumerics

/// What a customer acquired now is expected to do over a horizon: CLVTools' `newcustomer()`
/// for a purchase model (with or without covariates), with the spend and value of a spend
/// model.
public struct NewCustomerPrediction: Sendable, Equatable {
  /// The profile (an attributes row's customer_id; `new_customer` without covariates).
  public var profile: String
  /// E[X(H)]: expected repeat purchases in the horizon after the acquisition purchase.
  public var expectedPurchases: Double
  /// The spend model's mean spend per purchase of a customer without history; nil without a
  /// spend model.
  public var expectedSpend: Double?
  /// margin · expected spend · Σᵢ (E[X(i)] − E[X(i−1)]) / (1 + d)ⁱ over the horizon: the value
  /// of the repeat purchases (the acquisition purchase itself is not included); nil without a
  /// spend model.
  public var value: Double?

  public init(profile: String, expectedPurchases: Double, expectedSpend: Double?, value: Double?) {
    self.profile = profile
    self.expectedPurchases = expectedPurchases
    self.expectedSpend = expectedSpend
    self.value = value
  }
}

/// Predictions for customers acquired now (`clv predict-new`).
public enum NewCustomerValue {
  /// The profile name of a model without covariates (one row).
  public static let defaultProfile = "new_customer"

  /// The discounted expected repeat purchases of a new customer,
  /// Σ_{i=1}^{H} (E[X(i)] − E[X(i−1)]) / (1 + d)ⁱ with E[X(t)] the model's unconditional
  /// expectation: E[X(H)] when d = 0; otherwise the same per-unit sum, truncation and partial
  /// last period as ``CustomerValue/discountedPurchases(transactions:customer:horizon:discountRate:)``.
  ///
  /// - Source: lifetimes 0.11.3 `utils._customer_lifetime_value` (per-period discounting);
  ///   E[X(t)]: [FHL2005a] eq. (7), [FH2005-PNBD] eq. (17); CLVTools `newcustomer()`.
  public static func discountedPurchases(
    _ model: any TransactionModel, horizon: Double, discountRate: Double
  ) -> Double {
    guard horizon > 0 else { return 0 }
    if discountRate == 0 { return model.expectedPurchases(in: horizon) }
    let periods = CustomerValue.periods(horizon: horizon, discountRate: discountRate)
    guard periods <= Double(Int.max / 2) else { return .nan }
    let truncated = periods < horizon.rounded(.up)
    let whole = truncated ? Int(periods) : Int(horizon.rounded(.down))
    var total = 0.0
    var previous = 0.0
    let logDiscount = Double.log(onePlus: discountRate)
    if whole >= 1 {
      for i in 1...whole {
        let cumulative = model.expectedPurchases(in: Double(i))
        total += (cumulative - previous) * Double.exp(-Double(i) * logDiscount)
        previous = cumulative
      }
    }
    if !truncated, horizon > Double(whole) {
      let cumulative = model.expectedPurchases(in: horizon)
      total += (cumulative - previous) * Double.exp(-horizon * logDiscount)
    }
    return total
  }

  /// The prediction for one profile of `model` (a customer's model: for covariates
  /// ``CovariateTransactionModel/transactionModel(for:)``).
  ///
  /// - Parameters:
  ///   - horizon: H in the model's unit; `discountRate` per model unit.
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` for a non-finite result.
  public static func predict(
    _ model: any TransactionModel, profile: String, spend: (any SpendModel)?, horizon: Double,
    discountRate: Double = 0, margin: Double = 1
  ) throws -> NewCustomerPrediction {
    let expected = try model.checkedFinite(
      model.expectedPurchases(in: horizon), "expected purchases of profile '\(profile)'")
    guard let spend else {
      return NewCustomerPrediction(
        profile: profile, expectedPurchases: expected, expectedSpend: nil, value: nil)
    }
    // A customer without repeat purchases: the spend model's population mean.
    let average = try spend.checkedFinite(
      spend.expectedAverageSpend(
        for: RFMSummary.Row(customerID: profile, frequency: 0, recency: 0, age: 0)),
      "expected spend of a new customer")
    let discounted = discountedPurchases(model, horizon: horizon, discountRate: discountRate)
    let value = try model.checkedFinite(
      margin * average * discounted, "value of profile '\(profile)'")
    return NewCustomerPrediction(
      profile: profile, expectedPurchases: expected, expectedSpend: average, value: value)
  }

  /// One prediction per profile of `attributes` (its customer_id names the profile) for a
  /// model with covariates, in file order.
  /// - Throws: ``DataError`` for a profile with a missing value (unless the model was fitted
  ///   with `fill`) or a text level not seen in training; non-finite results.
  public static func predict(
    _ model: any CovariateTransactionModel, profiles attributes: CustomerAttributes,
    spend: (any SpendModel)?, horizon: Double, discountRate: Double = 0, margin: Double = 1
  ) throws -> [NewCustomerPrediction] {
    let reference = [Double](repeating: 0, count: model.design.featureNames.count)
    return try predict(
      model.transactionModel(for: reference), covariates: model, profiles: attributes,
      spend: spend, spendCovariates: nil, horizon: horizon, discountRate: discountRate,
      margin: margin)
  }

  /// One prediction per profile of `attributes`, in file order, with covariates in the
  /// purchase model, the spend model or both: each profile's purchases come from θ(z) and its
  /// spend from the spend model at its own scale γ(w) (Gamma-Gamma with covariates: the
  /// reference mean spend times exp(δᵀw), ``CovariateGammaGamma``).
  ///
  /// - Parameters:
  ///   - model: the purchase model without covariates (used when `covariates` is nil).
  ///   - spend: the spend model without covariates (used when `spendCovariates` is nil).
  /// - Throws: ``DataError`` for a profile with a missing value (unless the model was fitted
  ///   with `fill`) or a text level not seen in training; non-finite results.
  public static func predict(
    _ model: any TransactionModel, covariates: (any CovariateTransactionModel)?,
    profiles attributes: CustomerAttributes, spend: (any SpendModel)?,
    spendCovariates: (any CovariateSpendModel)?, horizon: Double, discountRate: Double = 0,
    margin: Double = 1
  ) throws -> [NewCustomerPrediction] {
    let ids = attributes.records.map(\.customerID)
    let vectors = try covariates.map {
      try $0.design.covariates(for: ids, attributes: attributes, model: type(of: $0).modelName)
    }
    let spendVectors = try spendCovariates.map {
      try $0.design.covariates(for: ids, attributes: attributes, model: type(of: $0).modelName)
    }
    return try ids.indices.map { i in
      try predict(
        vectors.map { covariates!.transactionModel(for: $0[i]) } ?? model, profile: ids[i],
        spend: spendVectors.map { spendCovariates!.spendModel(for: $0[i]) } ?? spend,
        horizon: horizon, discountRate: discountRate, margin: margin)
    }
  }

  /// The predictions as CSV: `profile,expected_purchases,expected_spend,clv`, numbers in
  /// shortest round-trip form, empty spend and clv without a spend model.
  public static func csv(_ predictions: [NewCustomerPrediction]) -> String {
    var bytes = Array("profile,expected_purchases,expected_spend,clv\n".utf8)
    for prediction in predictions {
      NumberText.appendField(prediction.profile, to: &bytes)
      bytes.append(UInt8(ascii: ","))
      NumberText.appendCompact(prediction.expectedPurchases, to: &bytes)
      bytes.append(UInt8(ascii: ","))
      if let spend = prediction.expectedSpend { NumberText.appendCompact(spend, to: &bytes) }
      bytes.append(UInt8(ascii: ","))
      if let value = prediction.value { NumberText.appendCompact(value, to: &bytes) }
      bytes.append(UInt8(ascii: "\n"))
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
