import CLVNumerics

extension BetaGeometricModel: SimulatedPurchaseProcess {
  /// One customer of the beta-geometric/NBD process: purchases at exponential(λ) gaps
  /// (``simulateBetaGeometricCustomer(r:alpha:a:b:dropsOutAfterFirstPurchase:unitDays:using:gap:_:)``).
  ///
  /// - Source: [FHL2005a] section 3 (BG/NBD); [BDF2007] (MBG/NBD).
  public func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows {
    try simulateBetaGeometricCustomer(
      r: r, alpha: alpha, a: a, b: b,
      dropsOutAfterFirstPurchase: Variant.dropsOutAfterFirstPurchase, unitDays: unitDays,
      using: &rng, gap: { rate, rng in rng.exponential(rate: rate) }, purchase)
  }
}

/// One customer of a beta-geometric dropout process, the generator that BG/NBD, MBG/NBD and the
/// (M)BG/CNBD-k models share: a purchase rate λ ~ gamma(r, α) per unit and a dropout
/// probability p ~ beta(a, b); gaps between purchases drawn by `gap(λ per day, rng)`
/// (exponential for BG/NBD, Erlang-k for BG/CNBD-k), the clock starting at the first purchase;
/// after each repeat purchase (with `dropsOutAfterFirstPurchase`, MBG: also right after the
/// first purchase) the customer drops out with probability p. The draws come in this order:
/// λ, p, (the MBG first-purchase coin), then per purchase the gap, the purchase's own draws
/// (`purchase`), the dropout coin; the same seed gives the same customers.
///
/// - Source: [FHL2005a] section 3 (BG/NBD); [BDF2007] (MBG/NBD); [PR2016] section 3 (the
///   Erlang-k gaps of the CNBD-k models).
func simulateBetaGeometricCustomer(
  r: Double, alpha: Double, a: Double, b: Double, dropsOutAfterFirstPurchase: Bool,
  unitDays: Double, using rng: inout SeededGenerator,
  gap: (_ ratePerDay: Double, _ rng: inout SeededGenerator) -> Double,
  _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
) rethrows {
  let lambda = rng.gamma(shape: r, rate: alpha) / unitDays
  let p = rng.beta(a, b)
  if dropsOutAfterFirstPurchase, rng.uniform() < p { return }
  var clock = 0.0
  while true {
    clock += gap(lambda, &rng)
    guard try purchase(clock, &rng) else { return }
    if rng.uniform() < p { return }
  }
}
