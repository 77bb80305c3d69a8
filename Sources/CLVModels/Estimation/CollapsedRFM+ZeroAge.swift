import CLVData

/// Customers with T = 0 (first purchase at the end of observation or at the calibration end)
/// and data in which nobody made a repeat purchase.
///
/// A customer observed for no time at all, (x, tₓ, T) = (0, 0, 0), has likelihood exactly 1
/// under every purchase model: nothing can have happened in an empty interval. In each model's
/// own formula:
///
///     BG/NBD      L = (α/(α+T))ʳ                                   = 1 at T = 0
///     MBG/NBD     L = b/(a+b) · (α/(α+T))ʳ + a/(a+b) · (α/(α+tₓ))ʳ  = 1 at T = tₓ = 0
///     Pareto/NBD  L = αʳ βˢ / ((α+T)ʳ (β+T)ˢ) + s/(r+s) · A₀        = 1 (A₀ = 0 when tₓ = T)
///     BG/BB       L = B(α, β)/B(α,β) · B(γ, δ)/B(γ,δ) + (empty sum)  = 1 at n = 0
///
/// so the contribution to log L is 0 for every parameter value and the customer carries no
/// information about the parameters. The fits leave such customers out (they are counted in
/// `FitReport.dropped`), which makes a fit with them bit-identical to one without them (the
/// objective's 1/N scale and lifetimes' penalizer would otherwise change with their number);
/// `logLikelihood(of:)` returns exactly 0 for them, so per-customer log-likelihoods still sum to
/// the fit's. They are scored like everyone else (P(alive), expected purchases and CLV are
/// well-defined at T = 0; see the models' prediction functions). Gamma-Gamma needs repeat
/// buyers and never used them; churn-logit uses T as a feature and keeps them.
///
/// - Source: [FHL2005a] eq. (6) with x = 0; [BDF2007] appendix A (the MBG/NBD likelihood, as in
///   lifetimes 0.11.3 `ModifiedBetaGeoFitter._negative_log_likelihood`); [FH2005-PNBD] eq. (18)
///   with A₀ from eqs. (19)–(20), an integral over (tₓ, T]; [FHS2010] eq. (5) with n = 0.
extension CollapsedRFM {
  /// Whether a history is (x, tₓ, T) = (0, 0, 0): a customer observed for no time, whose
  /// likelihood is 1 under every purchase model.
  @inline(__always)
  public static func isZeroAge(frequency: Int, recency: Double, age: Double) -> Bool {
    age == 0 && frequency == 0 && recency == 0
  }

  /// The error for data from which purchase models cannot be estimated: nobody made a repeat
  /// purchase (every x = 0, or every customer has T = 0). The likelihood is then maximized only
  /// at the edge of the parameter space (e.g. BG/NBD: (α/(α+T))ʳ → 1 as r → 0), so any
  /// estimate would be meaningless.
  static func unidentifiable(model: String, customers: Double, zeroAge: Double) -> ModelError {
    let total = Int((customers + zeroAge).rounded())
    return ModelError.unusableData(
      model: model,
      reason: "nobody made a repeat purchase (all \(total) customers have frequency 0"
        + (zeroAge > 0 ? ", \(Int(zeroAge.rounded())) of them with T = 0" : "")
        + "): the purchase models cannot be identified from this data")
  }

  /// Throws ``unidentifiable(model:customers:zeroAge:)`` when no kept row has x > 0.
  func requireRepeatPurchases(model: String) throws {
    guard frequencies.contains(where: { $0 > 0 }) else {
      throw Self.unidentifiable(model: model, customers: customers, zeroAge: zeroAgeCustomers)
    }
  }
}

extension FitReport {
  /// A note for standard error when a purchase-model fit left out customers with T = 0
  /// (counted in `dropped`); nil when there were none.
  public func zeroAgeNote(model: String) -> String? {
    guard dropped > 0 else { return nil }
    return "\(model): \(dropped) customer\(dropped == 1 ? "" : "s") with T = 0 (first purchase "
      + "at the end of the data) carry no information for the fit and were left out; they are "
      + "still scored"
  }
}
