import RealModule

/// The studentized bootstrap (bootstrap-t) for comparing the means of two independent groups
/// of unequal size: the difference mean₁ − mean₂ and the relative difference mean₁/mean₂ − 1.
///
/// Each group is resampled on its own (n₁ and n₂ customers drawn with replacement from their own
/// group, so the sizes stay those of the experiment), and each resample b gives the Welch
/// statistic of the difference, studentized with the resample's own Welch standard error:
///
///     se = √(s₁²/n₁ + s₂²/n₂),   t*_b = (d*_b − d) / se*_b,   d = m̄₁ − m̄₂
///     interval = [d − t*₍₁₋α/₂₎ se,  d − t*₍α/₂₎ se]
///
/// with t*₍q₎ the q-th sample quantile of the t*_b (``PercentileInterval``'s definition). The
/// relative difference takes the same steps on the log ratio ℓ = log m̄₁ − log m̄₂, studentized
/// with the delta-method standard error of ``TwoGroupComparison/relativeDifferenceInterval``:
///
///     se_ℓ = √(s₁²/(n₁ m̄₁²) + s₂²/(n₂ m̄₂²))
///     interval = exp([ℓ − t*₍₁₋α/₂₎ se_ℓ,  ℓ − t*₍α/₂₎ se_ℓ]) − 1
///
/// The two-sided p-value of d = 0 is the one the interval inverts: twice the smaller share of
/// the t*_b on either side of the observed t = d/se, counted as (1 + #)/(B + 1):
///
///     P = min(1, 2 (1 + min(#{t*_b ≥ t}, #{t*_b ≤ t})) / (B + 1))
///
/// A resample whose standard error is 0 (both resampled groups constant), or whose mean is not
/// positive for the log ratio, has no t*: it is left out, and B counts the usable resamples. When
/// fewer than half are usable the result has no interval (the groups are too small or too
/// uniform for this method; a product decision).
///
/// Unlike Welch's t quantile, the quantiles of t* follow the skewness of the data: with a small
/// control group the difference of right-skewed means is skewed, and the interval with it.
///
/// - Source: [ET1993] §12.5 (the bootstrap-t interval, Z*(b) = (θ̂*(b) − θ̂)/ŝe*(b)); [DH1997]
///   §5.2 (studentized bootstrap confidence limits) and ch. 3 (resampling several samples each
///   on its own); the p-value from the studentized statistic as in [DH1997] ch. 4 (the
///   (1 + #)/(B + 1) Monte Carlo p-value). Resampling indices: a multiply-high of the
///   ``SeededGenerator``'s 64 bits ([LEM2019]), bias below n/2⁶⁴.
public enum StudentizedBootstrap {
  /// The bootstrap-t results of one measure.
  public struct Result: Sendable, Equatable {
    /// mean₁ − mean₂.
    public var difference: Double
    /// The Welch standard error of the difference (the studentizing scale).
    public var standardError: Double
    /// The interval of the difference; nil when fewer than half of the resamples had a t*.
    public var interval: ConfidenceInterval?
    /// Two-sided p-value of a zero difference; nil when there is no interval or no variation.
    public var pValue: Double?
    /// The interval of mean₁/mean₂ − 1; nil when a mean is not positive or fewer than half of
    /// the resamples had a t*.
    public var relativeInterval: ConfidenceInterval?
    /// The resamples with a t* of the difference, and of the log ratio.
    public var usableResamples: Int
    public var usableRelativeResamples: Int
  }

  /// The default number of resamples: 1999, so that (B + 1)·0.025 = 50 is a whole number of
  /// resamples beyond each limit of a 95% interval ([DH1997] §5.2 chooses B so), and the
  /// Monte Carlo error of a 2.5% tail share, √(0.025 · 0.975 / 1999) = 0.0035, is small beside
  /// the 0.05 it sits in ([ET1993] ch. 12 asks for B of 1000 or more for bootstrap-t limits).
  public static let defaultResamples = 1999

  /// Compares two groups on `measures` measures at once, resampling customers: each customer's
  /// measures stay together (orders and revenue of one resampled customer are that customer's).
  ///
  /// - Parameters:
  ///   - first: the first group's values, customer-major: `first[i * measures + j]` is measure j
  ///     of customer i (at least 2 customers).
  ///   - second: the second group's values, the same layout (at least 2 customers).
  ///   - resamples: B ≥ 1.
  ///   - seed: the ``SeededGenerator``'s seed: the same data and seed give the same result.
  ///   - confidence: the two-sided level, in (0, 1).
  /// - Returns: one result per measure.
  /// - Complexity: O(B (n₁ + n₂) · measures) arithmetic and B (n₁ + n₂) random draws; O(B ·
  ///   measures) memory.
  public static func compare(
    _ first: [Double], _ second: [Double], measures: Int, resamples: Int, seed: UInt64,
    confidence: Double = 0.95
  ) -> [Result] {
    precondition(measures >= 1 && resamples >= 1 && confidence > 0 && confidence < 1)
    precondition(first.count % measures == 0 && second.count % measures == 0)
    let k = measures
    let n1 = first.count / k, n2 = second.count / k
    precondition(n1 >= 2 && n2 >= 2, "the bootstrap-t needs at least 2 customers per group")
    let g1 = Group(first, count: n1, measures: k)
    let g2 = Group(second, count: n2, measures: k)
    var generator = SeededGenerator(seed: seed)
    var tDifference = [[Double]](repeating: [], count: k)
    var tRelative = [[Double]](repeating: [], count: k)
    for j in 0..<k {
      tDifference[j].reserveCapacity(resamples)
      tRelative[j].reserveCapacity(resamples)
    }
    let relativeDefined = (0..<k).map { g1.means[$0] > 0 && g2.means[$0] > 0 }
    var sums1 = [Double](repeating: 0, count: 2 * k)
    var sums2 = [Double](repeating: 0, count: 2 * k)
    for _ in 0..<resamples {
      g1.resample(into: &sums1, using: &generator)
      g2.resample(into: &sums2, using: &generator)
      for j in 0..<k {
        let (mean1, variance1) = g1.moments(sums1, j)
        let (mean2, variance2) = g2.moments(sums2, j)
        let v1 = variance1 / Double(n1), v2 = variance2 / Double(n2)
        let se = (v1 + v2).squareRoot()
        if se > 0 {
          tDifference[j].append(((mean1 - mean2) - (g1.means[j] - g2.means[j])) / se)
        }
        if relativeDefined[j], mean1 > 0, mean2 > 0 {
          let seLog = (v1 / (mean1 * mean1) + v2 / (mean2 * mean2)).squareRoot()
          if seLog > 0 {
            let logRatio = Double.log(mean1) - Double.log(mean2)
            tRelative[j].append((logRatio - g1.logMeans[j] + g2.logMeans[j]) / seLog)
          }
        }
      }
    }
    let level = confidence
    return (0..<k).map { j in
      let d = g1.means[j] - g2.means[j]
      let v1 = g1.variances[j] / Double(n1), v2 = g2.variances[j] / Double(n2)
      let se = (v1 + v2).squareRoot()
      var result = Result(
        difference: d, standardError: se, interval: nil, pValue: nil, relativeInterval: nil,
        usableResamples: tDifference[j].count, usableRelativeResamples: tRelative[j].count)
      if se == 0 {
        // No variation in either group: the difference is known exactly, as for Welch.
        result.interval = ConfidenceInterval(lower: d, upper: d)
      } else if 2 * tDifference[j].count >= resamples {
        let t = d / se
        let above = tDifference[j].count(where: { $0 >= t })
        let below = tDifference[j].count(where: { $0 <= t })
        result.pValue = min(
          1, 2 * Double(1 + min(above, below)) / Double(tDifference[j].count + 1))
        let q = PercentileInterval.of(tDifference[j], level: level)
        result.interval = ConfidenceInterval(lower: d - q.high * se, upper: d - q.low * se)
      }
      if relativeDefined[j], 2 * tRelative[j].count >= resamples {
        let means1 = g1.means[j], means2 = g2.means[j]
        let seLog = (v1 / (means1 * means1) + v2 / (means2 * means2)).squareRoot()
        let logRatio = g1.logMeans[j] - g2.logMeans[j]
        let q = PercentileInterval.of(tRelative[j], level: level)
        result.relativeInterval = ConfidenceInterval(
          lower: Double.expMinusOne(logRatio - q.high * seLog),
          upper: Double.expMinusOne(logRatio - q.low * seLog))
      }
      return result
    }
  }

  /// One group: its values centred on their means (so that the resamples' sums of squares do
  /// not cancel), the means and the unbiased variances.
  private struct Group {
    var centred: [Double]
    var count: Int
    var measures: Int
    var means: [Double]
    var logMeans: [Double]
    var variances: [Double]

    init(_ values: [Double], count n: Int, measures k: Int) {
      count = n
      measures = k
      var means = [Double](repeating: 0, count: k)
      var variances = [Double](repeating: 0, count: k)
      for j in 0..<k {
        let m = TwoGroupComparison.Moments((0..<n).lazy.map { values[$0 * k + j] })
        means[j] = m.mean
        variances[j] = m.variance
      }
      self.means = means
      self.variances = variances
      logMeans = means.map { $0 > 0 ? Double.log($0) : -.infinity }
      centred = values.indices.map { values[$0] - means[$0 % k] }
    }

    /// Draws `count` customers with replacement and adds up, per measure j, the centred values
    /// (at 2j) and their squares (at 2j + 1).
    func resample(into sums: inout [Double], using generator: inout SeededGenerator) {
      let n = UInt64(count), k = measures
      centred.withUnsafeBufferPointer { x in
        sums.withUnsafeMutableBufferPointer { s in
          for i in 0..<s.count { s[i] = 0 }
          if k == 2 {
            // The readout's case (orders and revenue), unrolled.
            var (a, a2, b, b2) = (0.0, 0.0, 0.0, 0.0)
            for _ in 0..<count {
              let i = Int(n.multipliedFullWidth(by: generator.next()).high)
              let u = x[2 * i], v = x[2 * i + 1]
              a += u
              a2 += u * u
              b += v
              b2 += v * v
            }
            (s[0], s[1], s[2], s[3]) = (a, a2, b, b2)
          } else {
            for _ in 0..<count {
              let i = Int(n.multipliedFullWidth(by: generator.next()).high)
              for j in 0..<k {
                let u = x[i * k + j]
                s[2 * j] += u
                s[2 * j + 1] += u * u
              }
            }
          }
        }
      }
    }

    /// Measure j's resample mean and unbiased variance from the sums of ``resample(into:using:)``:
    ///
    ///     m̄* = m̄ + S/n,   s*² = (Q − S²/n)/(n − 1)   (S, Q: sums of the centred values, squares)
    func moments(_ sums: [Double], _ j: Int) -> (mean: Double, variance: Double) {
      let n = Double(count)
      let s = sums[2 * j], q = sums[2 * j + 1]
      return (means[j] + s / n, max(0, (q - s * s / n) / (n - 1)))
    }
  }
}
