import CLVNumerics

extension ParetoNBD: SimulatedPurchaseProcess {
  /// One customer of the Pareto/NBD process: a purchase rate λ ~ gamma(r, α) and a dropout rate
  /// μ ~ gamma(s, β) per unit; purchases at exponential(λ) gaps until an exponential(μ)
  /// lifetime ends.
  ///
  /// - Source: [SMC1987].
  public func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows {
    let lambda = rng.gamma(shape: r, rate: alpha) / unitDays
    let mu = rng.gamma(shape: s, rate: beta) / unitDays
    let lifetime = rng.exponential(rate: mu)
    var clock = 0.0
    while true {
      clock += rng.exponential(rate: lambda)
      guard clock < lifetime, try purchase(clock, &rng) else { return }
    }
  }
}
