import CLVData

/// The tracking series: cumulative repeat purchases per period, actual against model-expected,
/// across the calibration and holdout periods.
///
/// Periods start at S, the first purchase day of the calibration customers: period k = 1, 2, …
/// covers the days d with (d − S) < k·u, u the unit in days, so it ends on day
/// Lₖ = S + ⌈k·u⌉ − 1 (the last period ends at the observation end E, possibly part-way).
///
///     actual(k)   = Σ repeat purchase days on days ≤ Lₖ
///     expected(k) = Σ_f n_f · E[X((Lₖ − f) / u)]    over first-purchase days f ≤ Lₖ
///
/// with n_f the customers acquired on day f and E[X(t)] the model's unconditional expected
/// repeat purchases in t units after the first purchase. A customer observed through day L has
/// age (L − f)/u, as for T in the summaries. E[X(t)] depends only on the lag Lₖ − f in days, so
/// each lag is evaluated once.
///
/// - Source: [FHL2005a] section 4 and Fig. 2 (cumulative repeat transactions, actual vs
///   BG/NBD-expected, summed over customers by their time of trial).
public enum TrackingSeries {
  /// - Parameters:
  ///   - daily: repeat purchase days per day and the acquisition days of the customers.
  ///   - calibrationEnd: D (its position becomes ``RunFile/Tracking/calibrationEnd``).
  ///   - observationEnd: E, the end of the series.
  ///   - expected: E[X(t)] of the model, t in units.
  /// - Throws: ``EvaluationError/nonFinite(what:quantity:)`` when E[X(t)] is not finite.
  public static func compute(
    daily: DailyRepeatPurchases, calibrationEnd: Day, observationEnd: Day, unit: TimeUnit,
    what: String, expected: (Double) -> Double
  ) throws -> RunFile.Tracking {
    try compute(
      daily: daily, calibrationEnd: calibrationEnd, observationEnd: observationEnd, unit: unit,
      acquisitions: [daily.acquisitions], what: what
    ) { _, t in expected(t) }
  }

  /// The series of customers in groups with models of their own (a model with covariates:
  /// one group per distinct covariate vector z):
  ///
  ///     expected(k) = Σ_g Σ_f n_{g,f} · E_g[X((Lₖ − f) / u)]
  ///
  /// with n_{g,f} the customers of group g acquired on day f and E_g[X(t)] the unconditional
  /// expected repeat purchases at θ(z_g) ([FH2007-COV]: each customer's process is the model's
  /// at their own parameters). With one group this is ``compute(daily:calibrationEnd:observationEnd:unit:what:expected:)``.
  ///
  /// - Parameters:
  ///   - acquisitions: per group, first purchase day → customers (together, `daily`'s).
  ///   - expected: E_g[X(t)] of group g, t in units.
  public static func compute(
    daily: DailyRepeatPurchases, calibrationEnd: Day, observationEnd: Day, unit: TimeUnit,
    acquisitions groups: [[Day: Int]], what: String, expected: (Int, Double) -> Double
  ) throws -> RunFile.Tracking {
    let start = daily.start
    let u = unit.days
    let acquisitions = groups.map { group in
      group.map { ($0.key - start, $0.value) }.sorted { $0.0 < $1.0 }
    }
    let lastOffset = observationEnd - start
    var cache = [[Int: Double]](repeating: [0: 0], count: groups.count)
    func expectedAt(group: Int, lag: Int) throws -> Double {
      if let value = cache[group][lag] { return value }
      let value = expected(group, Double(lag) / u)
      guard value.isFinite else {
        throw EvaluationError.nonFinite(what: what, quantity: "E[X(t)] at t = \(Double(lag) / u)")
      }
      cache[group][lag] = value
      return value
    }
    var points: [RunFile.TrackingPoint] = []
    var actual = 0
    var counted = 0  // days of `daily.counts` added to `actual`
    var k = 1
    while true {
      let end = min(Int((Double(k) * u).rounded(.up)) - 1, lastOffset)
      while counted <= end {
        if counted < daily.counts.count { actual += daily.counts[counted] }
        counted += 1
      }
      var total = 0.0
      for (g, group) in acquisitions.enumerated() {
        for (first, customers) in group where first <= end {
          total += Double(customers) * (try expectedAt(group: g, lag: end - first))
        }
      }
      points.append(
        RunFile.TrackingPoint(
          period: Double(end + 1) / u, actualCumulative: Double(actual), expectedCumulative: total))
      if end >= lastOffset { break }
      k += 1
    }
    return RunFile.Tracking(
      calibrationEnd: Double(calibrationEnd - start + 1) / u, points: points)
  }
}
