import CLVNumerics

extension BetaGeometricModel: SimulatedPurchaseProcess {
  /// One customer of the beta-geometric/NBD process: a purchase rate λ ~ gamma(r, α) per unit
  /// and a dropout probability p ~ beta(a, b); purchases at exponential(λ) gaps, and after each
  /// repeat purchase (MBG/NBD: also right after the first purchase) the customer drops out with
  /// probability p.
  ///
  /// - Source: [FHL2005a] section 3 (BG/NBD); [BDF2007] (MBG/NBD).
  public func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows {
    let lambda = rng.gamma(shape: r, rate: alpha) / unitDays
    let p = rng.beta(a, b)
    if Variant.dropsOutAfterFirstPurchase, rng.uniform() < p { return }
    var clock = 0.0
    while true {
      clock += rng.exponential(rate: lambda)
      guard try purchase(clock, &rng) else { return }
      if rng.uniform() < p { return }
    }
  }
}
