import CLVNumerics

extension ErlangBetaGeometricModel: SimulatedPurchaseProcess {
  /// One customer of the (M)BG/CNBD-k process: the beta-geometric dropout process of BG/NBD
  /// with gaps between purchases gamma(k, λ) (Erlang-k, the k-th event of a Poisson process of
  /// rate λ) instead of exponential
  /// (``simulateBetaGeometricCustomer(r:alpha:a:b:dropsOutAfterFirstPurchase:unitDays:using:gap:_:)``).
  ///
  /// - Source: [PR2016] section 3.
  public func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows {
    let shape = Double(k)
    try simulateBetaGeometricCustomer(
      r: r, alpha: alpha, a: a, b: b,
      dropsOutAfterFirstPurchase: Variant.dropsOutAfterFirstPurchase, unitDays: unitDays,
      using: &rng, gap: { rate, rng in rng.gamma(shape: shape, rate: rate) }, purchase)
  }
}
