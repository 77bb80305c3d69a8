/// Randomization inference (Fisher's randomization test, inverted) for comparing the means of a
/// randomized experiment's two groups: the difference mean₁ − mean₂ under a constant additive
/// effect, and the relative difference mean₁/mean₂ − 1 under a constant multiplicative effect.
///
/// Customer i has outcome yᵢ and label Wᵢ (1: first group, n₁ of them; 0: second, n₂). Under the
/// sharp null of a constant additive effect τ (every customer's outcome with the offer is the one
/// without plus τ), the outcomes without the offer are known, yᵢ − τWᵢ, and any relabelling W^π
/// of the n₁ + n₂ customers into groups of the same sizes gives the statistic
///
///     T_π(τ) = mean₁^π(y − τW) − mean₂^π(y − τW) = a_π − τ b_π
///     a_π = mean₁^π(y) − mean₂^π(y),   b_π = mean₁^π(W) − mean₂^π(W) = k_π/n₁ − (n₁ − k_π)/n₂
///
/// (k_π: the first group's customers that the relabelling keeps in the first group), against the
/// observed T(τ) = D − τ, D = mean₁ − mean₂. The two-sided p-value of τ over P seeded
/// relabellings is
///
///     p(τ) = (1 + #{π : |T_π(τ)| ≥ |T(τ)|}) / (P + 1)
///
/// and the interval is {τ : p(τ) > α}. Each relabelling is "as extreme" on a set of τ that a
/// quadratic inequality gives in closed form, |α₁ + β₁τ| ≥ |α₀ + β₀τ| ⟺
/// ((α₁ − α₀) + (β₁ − β₀)τ)·((α₁ + α₀) + (β₁ + β₀)τ) ≥ 0, an interval, two rays, all or nothing;
/// a sweep over the sorted end points finds the interval's limits in O(P log P) after the
/// O(P (n₁ + n₂)) pass that computes the (a_π, b_π). When the accepted set is not one interval
/// the result is its hull (the smallest and the largest accepted τ).
///
/// The relative difference takes the multiplicative effect y₁ = (1 + ρ) y₀: with s = 1/(1 + ρ)
/// the outcomes without the offer are yᵢ (1 − Wᵢ) + s yᵢ Wᵢ, so T_π(s) = A_π + s B_π (A_π, B_π the
/// relabelled differences of y(1 − W) and of yW) against T(s) = s mean₁ − mean₂: the same
/// inequality in s, inverted over s > 0 and mapped back, ρ = 1/s − 1.
///
/// Under the sharp null and the randomization actually used (the groups' sizes fixed, every
/// split equally likely; a Bernoulli assignment conditioned on the group sizes), the test's
/// size is at most α for any distribution of the outcomes, however skewed: the interval covers
/// a constant effect with probability at least 1 − α. When the effect differs between customers
/// the constant-effect interval is an approximation: as a test of equal means the permutation
/// test of the difference in means is asymptotically valid only with groups of equal size or
/// outcomes of equal variance ([CR2013]).
///
/// - Source: [IR2015] ch. 5 (Fisher's exact p-values for completely randomized experiments and
///   their inversion into intervals for a constant additive effect); [ROS2002] ch. 2
///   (randomization inference, confidence intervals by inverting the test of a constant
///   effect); [ERN2004] (permutation tests, the Monte Carlo p-value (1 + #)/(P + 1), and
///   confidence intervals for a shift by inverting the test); [BB2019] (a Bernoulli assignment tested conditionally on
///   the number treated). The closed-form inversion by the linearity in τ is this
///   implementation's (the same linearity as [ERN2004]'s interval search). Relabellings: a
///   partial Fisher–Yates shuffle ([K1997] §3.4.2 Algorithm P) of the ``SeededGenerator``, the
///   indices by a multiply-high ([LEM2019]).
public enum RandomizationInterval {
  /// The randomization-inference results of one measure.
  public struct Result: Sendable, Equatable {
    /// mean₁ − mean₂.
    public var difference: Double
    /// The interval of a constant additive effect; nil when it is unbounded (too few
    /// relabellings, or too few customers, to reject any effect at this level).
    public var interval: ConfidenceInterval?
    /// Two-sided p-value of no effect at all (τ = 0).
    public var pValue: Double
    /// The interval of a constant multiplicative effect, mean₁/mean₂ − 1; nil when a mean is not
    /// positive or the interval is unbounded above. Its lower limit is −1 when no s > 0 large
    /// enough is rejected.
    public var relativeInterval: ConfidenceInterval?
  }

  /// The default number of relabellings: 1999, so that (P + 1)·α = 100 is a whole number for
  /// α = 0.05 (the same choice as ``StudentizedBootstrap/defaultResamples``).
  public static let defaultPermutations = 1999

  /// The statistic of one relabelling for one measure: T(x) = α + β x.
  struct Line {
    var intercept: Double
    var slope: Double
  }

  /// Compares two groups on `measures` measures at once over `permutations` seeded relabellings
  /// of the pooled customers into groups of n₁ and n₂ (the same relabellings for every measure).
  ///
  /// - Parameters:
  ///   - first: the first group's values, customer-major: `first[i * measures + j]` is measure j
  ///     of customer i (at least 1 customer).
  ///   - second: the second group's values, the same layout (at least 1 customer).
  ///   - permutations: P ≥ 1.
  ///   - seed: the ``SeededGenerator``'s seed: the same data and seed give the same result.
  ///   - confidence: the two-sided level 1 − α, in (0, 1).
  /// - Returns: one result per measure.
  /// - Complexity: O(P (n₁ + n₂) · measures) arithmetic, O(P (n₁ + n₂)) random draws, O(P ·
  ///   measures) memory.
  public static func compare(
    _ first: [Double], _ second: [Double], measures: Int, permutations: Int, seed: UInt64,
    confidence: Double = 0.95
  ) -> [Result] {
    precondition(measures >= 1 && permutations >= 1 && confidence > 0 && confidence < 1)
    precondition(first.count % measures == 0 && second.count % measures == 0)
    let n1 = first.count / measures, n = n1 + second.count / measures
    precondition(n1 >= 1 && n > n1)
    var generator = SeededGenerator(seed: seed)
    var order = Array(0..<n)
    return invert(
      first, second, measures: measures, count: permutations, observedCounts: true,
      confidence: confidence
    ) { labels in
      // The first n₁ positions of a partial Fisher–Yates shuffle: a uniform n₁-subset.
      for i in 0..<n1 {
        let j = i + Int(UInt64(n - i).multipliedFullWidth(by: generator.next()).high)
        order.swapAt(i, j)
      }
      labels.replaceSubrange(0..<n1, with: order[0..<n1])
    }
  }

  /// The same inversion over given relabellings: each is the customers (indices into the pooled
  /// customers, `first`'s then `second`'s) that it puts in the first group, n₁ distinct indices.
  ///
  /// With `observedCounts` (the Monte Carlo test) the observed labelling counts once beside the
  /// relabellings, p = (1 + #)/(P + 1); without it the relabellings are the whole randomization
  /// distribution (all C(n, n₁) splits, the observed one among them) and p = #/P, the exact
  /// p-value.
  public static func compare(
    _ first: [Double], _ second: [Double], measures k: Int, relabellings: [[Int]],
    observedCounts: Bool, confidence: Double = 0.95
  ) -> [Result] {
    precondition(k >= 1 && !relabellings.isEmpty && confidence > 0 && confidence < 1)
    precondition(first.count % k == 0 && second.count % k == 0)
    var next = 0
    return invert(
      first, second, measures: k, count: relabellings.count, observedCounts: observedCounts,
      confidence: confidence
    ) { labels in
      precondition(relabellings[next].count == first.count / k)
      labels = relabellings[next]
      next += 1
    }
  }

  /// The inversion over `count` relabellings that `relabel` writes, one at a time, into its
  /// argument (the n₁ indices of the first group).
  private static func invert(
    _ first: [Double], _ second: [Double], measures k: Int, count: Int, observedCounts: Bool,
    confidence: Double, relabel: (inout [Int]) -> Void
  ) -> [Result] {
    let n1 = first.count / k, n2 = second.count / k, n = n1 + n2
    let pooled = first + second
    // The observed statistic through the same arithmetic as the relabellings' (so that the
    // observed labelling, relabelled, gives bitwise the same line).
    var inFirst = [Bool](repeating: false, count: n)
    let observed = lines(pooled, k, n1: n1, n2: n2, labels: Array(0..<n1), mark: &inFirst)
    var additive = [[(Line, Line)]](repeating: [], count: k)
    var multiplicative = [[(Line, Line)]](repeating: [], count: k)
    var labels = Array(0..<n1)
    for _ in 0..<count {
      relabel(&labels)
      let l = lines(pooled, k, n1: n1, n2: n2, labels: labels, mark: &inFirst)
      for j in 0..<k {
        additive[j].append((l.additive[j], observed.additive[j]))
        multiplicative[j].append((l.multiplicative[j], observed.multiplicative[j]))
      }
    }
    let extra = observedCounts ? 1 : 0
    let total = count + extra
    let alpha = 1 - confidence
    return (0..<k).map { j in
      let mean1 = observed.multiplicative[j].slope, mean2 = -observed.multiplicative[j].intercept
      let d = observed.additive[j].intercept
      let p = Double(extra + extremeCount(additive[j], at: 0)) / Double(total)
      let accepted = acceptedHull(additive[j], extra: extra, total: total, alpha: alpha)
      var interval: ConfidenceInterval? = nil
      if let accepted, accepted.lower.isFinite, accepted.upper.isFinite {
        interval = ConfidenceInterval(lower: accepted.lower, upper: accepted.upper)
      }
      var relative: ConfidenceInterval? = nil
      if mean1 > 0, mean2 > 0,
        let s = acceptedHull(multiplicative[j], extra: extra, total: total, alpha: alpha),
        s.upper > 0
      {
        // ρ = 1/s − 1 decreases in s: the largest accepted s gives the lower limit.
        let lowerS = max(s.lower, 0)
        if lowerS > 0 {
          relative = ConfidenceInterval(
            lower: s.upper.isFinite ? 1 / s.upper - 1 : -1, upper: 1 / lowerS - 1)
        }
      }
      return Result(
        difference: d, interval: interval, pValue: min(1, p), relativeInterval: relative)
    }
  }

  /// One labelling's lines per measure: additive T(τ) = a − b τ and multiplicative T(s) = A + B s.
  private static func lines(
    _ pooled: [Double], _ k: Int, n1: Int, n2: Int, labels: [Int], mark: inout [Bool]
  ) -> (additive: [Line], multiplicative: [Line]) {
    let n = n1 + n2
    for i in labels { mark[i] = true }
    var sum = [Double](repeating: 0, count: k), total = [Double](repeating: 0, count: k)
    var sumTreated = [Double](repeating: 0, count: k)
    var totalTreated = [Double](repeating: 0, count: k)
    var kept = 0
    // In index order, so that the same labelling always sums in the same order.
    for i in 0..<n {
      let treated = i < n1
      if mark[i], treated { kept += 1 }
      for j in 0..<k {
        let y = pooled[i * k + j]
        total[j] += y
        if treated { totalTreated[j] += y }
        if mark[i] {
          sum[j] += y
          if treated { sumTreated[j] += y }
        }
      }
    }
    for i in labels { mark[i] = false }
    let m1 = Double(n1), m2 = Double(n2)
    // b = k/n₁ − (n₁ − k)/n₂, exactly 1 for the observed labelling.
    let b = Double(kept) / m1 - Double(n1 - kept) / m2
    var additive: [Line] = [], multiplicative: [Line] = []
    for j in 0..<k {
      let a = sum[j] / m1 - (total[j] - sum[j]) / m2
      additive.append(Line(intercept: a, slope: -b))
      // y(1 − W) relabelled: its sum over the relabelled first group is sum − sumTreated.
      let untreatedIn = sum[j] - sumTreated[j], untreatedAll = total[j] - totalTreated[j]
      let bigA = untreatedIn / m1 - (untreatedAll - untreatedIn) / m2
      let bigB = sumTreated[j] / m1 - (totalTreated[j] - sumTreated[j]) / m2
      multiplicative.append(Line(intercept: bigA, slope: bigB))
    }
    return (additive, multiplicative)
  }

  /// The closed sets of x on which |relabelled(x)| ≥ |observed(x)|: at most two intervals with
  /// possibly infinite ends.
  static func extremeSet(_ relabelled: Line, _ observed: Line) -> [(Double, Double)] {
    // (p₁ + q₁x)(p₂ + q₂x) ≥ 0.
    let p1 = relabelled.intercept - observed.intercept, q1 = relabelled.slope - observed.slope
    let p2 = relabelled.intercept + observed.intercept, q2 = relabelled.slope + observed.slope
    let everything = [(-Double.infinity, Double.infinity)]
    func ray(_ p: Double, _ q: Double, positive: Bool) -> [(Double, Double)] {
      // {x : p + q x ≥ 0} (positive) or ≤ 0, for q ≠ 0.
      let root = -p / q
      return (q > 0) == positive ? [(root, .infinity)] : [(-.infinity, root)]
    }
    switch (q1 == 0, q2 == 0) {
    case (true, true):
      return p1 * p2 >= 0 ? everything : []
    case (true, false):
      return p1 == 0 ? everything : ray(p2, q2, positive: p1 > 0)
    case (false, true):
      return p2 == 0 ? everything : ray(p1, q1, positive: p2 > 0)
    case (false, false):
      let r1 = -p1 / q1, r2 = -p2 / q2
      let (low, high) = (min(r1, r2), max(r1, r2))
      return q1 * q2 < 0 ? [(low, high)] : [(-.infinity, low), (high, .infinity)]
    }
  }

  /// The number of relabellings at least as extreme as the observed labelling at x. A
  /// relabelling whose statistic equals the observed one in exact arithmetic may differ from it
  /// in the last bits (sums in another order): |T_π| within 10⁻¹² of the terms' size below |T|
  /// counts as a tie, as in scipy's `permutation_test` (relative 10⁻¹⁴·… there; integer orders
  /// make exact ties common).
  static func extremeCount(_ pairs: [(Line, Line)], at x: Double) -> Int {
    pairs.count { pair in
      let t = pair.0.intercept + pair.0.slope * x, observed = pair.1.intercept + pair.1.slope * x
      let size =
        abs(pair.0.intercept) + abs(pair.0.slope * x) + abs(pair.1.intercept)
        + abs(pair.1.slope * x)
      return abs(t) >= abs(observed) - 1e-12 * size
    }
  }

  /// The smallest and largest x with p(x) = (extra + count(x))/total > alpha (infinite when the
  /// accepted set is unbounded); nil when no x is accepted.
  static func acceptedHull(
    _ pairs: [(Line, Line)], extra: Int, total: Int, alpha: Double
  ) -> (lower: Double, upper: Double)? {
    // count ≥ needed ⟺ (extra + count)/total > alpha.
    var needed = Int((alpha * Double(total)).rounded(.down)) - extra
    if Double(extra + needed) / Double(total) <= alpha { needed += 1 }
    if needed <= 0 { return (-.infinity, .infinity) }
    // Events: +1 where a set starts (starts first at a tie: the sets are closed), −1 after it
    // ends.
    var starts: [Double] = [], ends: [Double] = []
    var atMinusInfinity = 0
    for (r, o) in pairs {
      for (low, high) in extremeSet(r, o) {
        if low == -.infinity { atMinusInfinity += 1 } else { starts.append(low) }
        if high != .infinity { ends.append(high) }
      }
    }
    starts.sort()
    ends.sort()
    var count = atMinusInfinity
    var lower: Double? = count >= needed ? -.infinity : nil
    var upper: Double? = nil
    var s = 0, e = 0
    while s < starts.count || e < ends.count {
      if s < starts.count, e >= ends.count || starts[s] <= ends[e] {
        count += 1
        if count >= needed, lower == nil { lower = starts[s] }
        s += 1
      } else {
        // Accepted up to and including this end point.
        if count >= needed, count - 1 < needed { upper = ends[e] }
        count -= 1
        e += 1
      }
    }
    if count >= needed { upper = .infinity }
    guard let lower, let upper else { return nil }
    return (lower, upper)
  }
}
