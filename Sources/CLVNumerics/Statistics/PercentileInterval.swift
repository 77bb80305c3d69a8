/// The equal-tailed percentile interval of a sample: its (1 − level)/2 and (1 + level)/2
/// sample quantiles, each by linear interpolation between order statistics (Hyndman & Fan's
/// definition 7, the default of R's `quantile` and NumPy's `percentile`):
///
///     Q(p) = x₍ⱼ₎ + (h − ⌊h⌋)(x₍ⱼ₊₁₎ − x₍ⱼ₎),   h = (n − 1) p,  j = ⌊h⌋ (0-based order statistics)
///
/// For parameter draws this is the "statistical simulation" interval of [KTW2000]; for
/// bootstrap replicates, Efron's percentile interval ([ET1993] section 13.3).
///
/// - Source: [HF1996] definition 7; [ET1993] section 13.3.
public enum PercentileInterval {
  /// The interval of the `count` values at `values` (reordered in place, no allocation).
  ///
  /// - Complexity: O(n) expected (two selections, Hoare's FIND, instead of a sort).
  /// - Precondition: `count > 0`, `0 < level < 1`, no NaN among the values.
  public static func of(
    _ values: UnsafeMutableBufferPointer<Double>, level: Double
  ) -> (low: Double, high: Double) {
    let n = values.count
    precondition(n > 0 && level > 0 && level < 1)
    if let interval = tails(values, level: level) { return interval }
    let low = quantile(values, (1 - level) / 2, from: 0)
    // After the first selection the values from its order statistic on are the largest ones:
    // the upper quantile is selected among those only.
    let start = Swift.min(Int((Double(n - 1) * (1 - level) / 2).rounded(.down)), n - 1)
    let high = quantile(values, (1 + level) / 2, from: start)
    return (low, high)
  }

  /// The interval from the few smallest and largest values only, for a wide interval of many
  /// values (90% of 200 draws: the order statistics 9, 10 and 189, 190). A sorted sample of 16
  /// values gives two cuts expected to leave a few more values than needed beyond them; one
  /// pass copies the values at or below the lower cut and at or above the upper cut, without
  /// branches, and the order statistics are selected among those. The values beyond a cut
  /// that holds at least as many as needed contain the needed order statistics, so the result
  /// is exactly ``quantile(_:_:from:)``'s; nil (use the selections) when the tails are wider
  /// than an eighth of the values, fewer than 64 values, or a cut left too few (an unlucky
  /// sample).
  ///
  /// - Complexity: O(n), one branch-free pass and selections among about 50 values.
  static func tails(
    _ a: UnsafeMutableBufferPointer<Double>, level: Double
  ) -> (low: Double, high: Double)? {
    let n = a.count
    let pLow = (1 - level) / 2, pHigh = (1 + level) / 2
    let hLow = Double(n - 1) * pLow, hHigh = Double(n - 1) * pHigh
    let jLow = Int(hLow.rounded(.down)), jHigh = Swift.min(Int(hHigh.rounded(.down)), n - 1)
    // Order statistics 0 … jLow + 1 below, jHigh … n − 1 above.
    let needLow = jLow + 2, needHigh = n - jHigh
    guard n >= 64, needLow * 8 <= n, needHigh * 8 <= n else { return nil }
    let s = 16
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n + s) { scratch in
      let base = scratch.baseAddress!
      let sample = base + 2 * n
      let stride = n / s
      for i in 0..<s {
        let v = a[i * stride]
        var k = i
        while k > 0, sample[k - 1] > v {
          sample[k] = sample[k - 1]
          k -= 1
        }
        sample[k] = v
      }
      // About needLow · s/n sample values fall among the needed ones; two more for margin.
      let rankLow = Swift.min(s - 1, (needLow * s + n - 1) / n + 2)
      let rankHigh = Swift.min(s - 1, (needHigh * s + n - 1) / n + 2)
      let lowCut = sample[rankLow], highCut = sample[s - 1 - rankHigh]
      let lows = base, highs = base + n
      var lowCount = 0, highCount = 0
      for i in 0..<n {
        let v = a[i]
        lows[lowCount] = v
        lowCount &+= v <= lowCut ? 1 : 0
        highs[highCount] = v
        highCount &+= v >= highCut ? 1 : 0
      }
      guard lowCount >= needLow, highCount >= needHigh else { return nil }
      // The values at or below the cut are the lowCount smallest: ranks keep their meaning. At
      // or above the upper cut are the highCount largest: rank j is j − (n − highCount) there.
      func statistic(
        _ buffer: UnsafeMutablePointer<Double>, count: Int, offset: Int, h: Double, j: Int
      ) -> Double {
        let part = UnsafeMutableBufferPointer(start: buffer, count: count)
        let lower = select(part, j - offset)
        guard j + 1 < n, h > Double(j) else { return lower }
        var next = part[j - offset + 1]
        for i in (j - offset + 2)..<count where part[i] < next { next = part[i] }
        return lower + (h - Double(j)) * (next - lower)
      }
      return (
        statistic(lows, count: lowCount, offset: 0, h: hLow, j: jLow),
        statistic(highs, count: highCount, offset: n - highCount, h: hHigh, j: jHigh)
      )
    }
  }

  /// The interval of an array (a convenience for tests and small samples; reorders a copy).
  public static func of(_ values: [Double], level: Double) -> (low: Double, high: Double) {
    var copy = values
    return copy.withUnsafeMutableBufferPointer { of($0, level: level) }
  }

  /// Q(p) of the whole buffer, given that the order statistics below `from` are already in
  /// place (the values left of `from` are ≤ every value from it on).
  static func quantile(
    _ a: UnsafeMutableBufferPointer<Double>, _ p: Double, from start: Int
  ) -> Double {
    let n = a.count
    let h = Double(n - 1) * p
    let j = Swift.min(Swift.max(Int(h.rounded(.down)), start), n - 1)
    let lower = select(a, j, from: start)
    guard j + 1 < n, h > Double(j) else { return lower }
    // After the selection, a[(j+1)...] ≥ a[j]: the next order statistic is their minimum.
    var next = a[j + 1]
    for i in (j + 2)..<n where a[i] < next { next = a[i] }
    return lower + (h - Double(j)) * (next - lower)
  }

  /// The k-th smallest value of `a[start...]` (0-based in `a`); afterwards
  /// `a[start..<k] ≤ a[k] ≤ a[(k+1)...]`.
  ///
  /// - Source: C. A. R. Hoare (1961), "Algorithm 65: FIND", CACM 4(7), with a median-of-three
  ///   pivot; `CLVScoring`'s `Median` selects with it too.
  public static func select(
    _ a: UnsafeMutableBufferPointer<Double>, _ k: Int, from start: Int = 0
  ) -> Double {
    var low = start
    var high = a.count - 1
    while low < high {
      let middle = low + (high - low) / 2
      let x = a[low], y = a[middle], z = a[high]
      let pivot = Swift.max(Swift.min(x, y), Swift.min(Swift.max(x, y), z))
      var i = low
      var j = high
      while i <= j {
        while a[i] < pivot { i += 1 }
        while a[j] > pivot { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        high = j
      } else if k >= i {
        low = i
      } else {
        return pivot
      }
    }
    return a[k]
  }
}
