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
    let low = quantile(values, (1 - level) / 2, from: 0)
    // After the first selection the values from its order statistic on are the largest ones:
    // the upper quantile is selected among those only.
    let start = Swift.min(Int((Double(n - 1) * (1 - level) / 2).rounded(.down)), n - 1)
    let high = quantile(values, (1 + level) / 2, from: start)
    return (low, high)
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
