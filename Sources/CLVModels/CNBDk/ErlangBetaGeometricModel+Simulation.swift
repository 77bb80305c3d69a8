import CLVNumerics

extension ErlangBetaGeometricModel: SimulatedPurchaseProcess {
  /// One customer of the (M)BG/CNBD-k process: an Erlang rate λ ~ gamma(r, α) per unit and a
  /// dropout probability p ~ beta(a, b); gaps between purchases are gamma(k, λ) (Erlang-k, the
  /// k-th event of a Poisson process of rate λ), the clock starting at the first purchase; after
  /// each repeat purchase (MBG/CNBD-k: also right after the first purchase) the customer drops
  /// out with probability p.
  ///
  /// - Source: [PR2016] section 3.
  public func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows {
    let lambda = rng.gamma(shape: r, rate: alpha) / unitDays
    let p = rng.beta(a, b)
    if Variant.dropsOutAfterFirstPurchase, rng.uniform() < p { return }
    var clock = 0.0
    while true {
      clock += rng.gamma(shape: Double(k), rate: lambda)
      guard try purchase(clock, &rng) else { return }
      if rng.uniform() < p { return }
    }
  }
}
