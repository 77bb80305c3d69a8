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
    let start = daily.start
    let u = unit.days
    let acquisitions = daily.acquisitions.map { ($0.key - start, $0.value) }.sorted { $0.0 < $1.0 }
    let lastOffset = observationEnd - start
    var cache: [Int: Double] = [0: 0]
    func expectedAt(lag: Int) throws -> Double {
      if let value = cache[lag] { return value }
      let value = expected(Double(lag) / u)
      guard value.isFinite else {
        throw EvaluationError.nonFinite(what: what, quantity: "E[X(t)] at t = \(Double(lag) / u)")
      }
      cache[lag] = value
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
      for (first, customers) in acquisitions where first <= end {
        total += Double(customers) * (try expectedAt(lag: end - first))
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
