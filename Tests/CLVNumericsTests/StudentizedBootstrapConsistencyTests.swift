import CLVNumerics
import TestSupport
import Testing

/// Properties of the bootstrap-t that can fail: it approaches Welch's interval for large
/// symmetric samples, and keeps its level on skewed data with unequal groups.
@Suite struct StudentizedBootstrapConsistencyTests {
  @Test func approachesWelchForLargeNormalSamples() throws {
    // 3,000 and 1,000 normal values (means 10 and 9.9, sds 2 and 3): the studentized statistic
    // is nearly normal, so its 2.5% and 97.5% quantiles are near ∓1.96 and the interval near
    // Welch's. Monte Carlo error of a 2.5% quantile of B = 4999 draws:
    // √(0.025 · 0.975 / 4999) / φ(1.96) ≈ 0.038 (in units of se); the data's own skewness
    // adds about √(6/1000)/6 · 1.96² ≈ 0.05 at most. Band: 0.25 se for each limit (4σ of the
    // Monte Carlo error plus that).
    var g = SeededGenerator(seed: 11)
    let first = (0..<3000).map { _ in 10 + 2 * g.normal() }
    let second = (0..<1000).map { _ in 9.9 + 3 * g.normal() }
    let r = StudentizedBootstrap.compare(first, second, measures: 1, resamples: 4999, seed: 3)[0]
    let welch = TwoGroupComparison.welch(
      TwoGroupComparison.Moments(first), TwoGroupComparison.Moments(second))
    let interval = try #require(r.interval)
    assertClose(r.standardError, welch.standardError, relative: 1e-12, source: "Welch's se")
    assertClose(
      interval.lower, welch.interval.lower, absolute: 0.25 * welch.standardError,
      source: "Welch, 0.25 se (Monte Carlo and skewness band)")
    assertClose(
      interval.upper, welch.interval.upper, absolute: 0.25 * welch.standardError,
      source: "Welch, 0.25 se (Monte Carlo and skewness band)")
    // The p-value of the same test: Welch's is 0.33 or so here; the bootstrap's within 0.05
    // (its Monte Carlo error √(p(1 − p)/B) is below 0.007).
    assertClose(try #require(r.pValue), try #require(welch.pValue), absolute: 0.05, source: "Welch")
  }

  @Test func followsTheSkewnessOfASmallControlGroup() throws {
    // Null comparisons: both groups from one zero-inflated log-normal (half buy, log spend
    // N(3, 0.8²)), 270 treatment and 30 control customers, 300 seeded replications, B = 499.
    // The control mean is right-skewed, so the studentized difference has a long right tail:
    // the bootstrap-t interval reaches further below the difference than above it, where
    // Welch's is symmetric. Coverage on such small, skewed groups is below 95% for every
    // method; the textbook bootstrap-t (numpy, other random numbers:
    // `scripts/reference/bootstrap_t.py --coverage`) covers 0 in 272 of 300 (0.907) and is
    // longer below in 295 of 300 (0.983). Bands: 4σ of the difference of two such
    // proportions, σ = √(2 p(1 − p)/300): coverage ≥ 0.907 − 0.095 = 0.81, longer below in
    // ≥ 0.983 − 0.042 = 0.94.
    var g = SeededGenerator(seed: 2026)
    func customer() -> Double {
      g.uniform() < 0.5 ? Double.exp(3 + 0.8 * g.normal()) : 0
    }
    var covered = 0, longerBelow = 0, welchCovered = 0
    let replications = 300
    for replication in 0..<replications {
      let first = (0..<270).map { _ in customer() }
      let second = (0..<30).map { _ in customer() }
      let r = StudentizedBootstrap.compare(
        first, second, measures: 1, resamples: 499, seed: UInt64(replication))[0]
      let interval = try #require(r.interval)
      if interval.contains(0) { covered += 1 }
      if r.difference - interval.lower > interval.upper - r.difference { longerBelow += 1 }
      let welch = TwoGroupComparison.welch(
        TwoGroupComparison.Moments(first), TwoGroupComparison.Moments(second))
      if welch.interval.contains(0) { welchCovered += 1 }
    }
    let n = Double(replications)
    #expect(Double(covered) / n >= 0.81, "bootstrap-t covered 0 in \(covered) of 300")
    #expect(Double(longerBelow) / n >= 0.94, "longer below in \(longerBelow) of 300")
    // Not asserted (a record for the guide): Welch's count on the same data.
    print("bootstrap-t covered 0 in \(covered), Welch in \(welchCovered) of 300")
  }
}
