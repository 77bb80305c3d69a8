import CLVNumerics
import Foundation
import TestSupport
import Testing

/// Randomization inference on four treatment and four control customers, where the whole
/// randomization distribution (all C(8, 4) = 70 splits) can be enumerated: the p-values against
/// scipy's exact permutation test (`scripts/reference/randomization_test.py`,
/// `Reference/randomization_test.csv`), and the interval's limits against a brute-force count
/// of the definition, p(τ) = #{splits π : |T_π(τ)| ≥ |T(τ)|} / 70.
@Suite struct RandomizationIntervalCorrectnessTests {
  static let scipy = "scipy 1.17.1 permutation_test, scripts/reference/randomization_test.py"
  /// The script's customers: (orders, revenue).
  static let treatment: [[Double]] = [[0, 0], [1, 12.5], [2, 40], [1, 3]]
  static let control: [[Double]] = [[0, 0], [0, 0], [1, 7.5], [1, 20]]

  /// Every split of the 8 pooled customers into 4 and 4: the first group's indices.
  static let splits: [[Int]] = {
    var all: [[Int]] = []
    for mask in 0..<256 where mask.nonzeroBitCount == 4 {
      all.append((0..<8).filter { mask & (1 << $0) != 0 })
    }
    return all
  }()

  static func column(_ j: Int) -> (treatment: [Double], control: [Double]) {
    (treatment.map { $0[j] }, control.map { $0[j] })
  }

  /// The exact result of measure j, the first group's values transformed by `f`.
  static func exact(_ j: Int, _ f: (Double) -> Double = { $0 }) -> RandomizationInterval.Result {
    let (t, c) = column(j)
    return RandomizationInterval.compare(
      t.map(f), c, measures: 1, relabellings: splits, observedCounts: false)[0]
  }

  /// The definition, counted directly: the share of splits whose difference in means of the
  /// outcomes without the offer, y − τW (additive) or y / (1 + ρ)^W (multiplicative), is at
  /// least as far from 0 as the observed one.
  static func bruteForceP(_ j: Int, effect: Double, multiplicative: Bool) -> Double {
    let (t, c) = column(j)
    let untreated = t.map { multiplicative ? $0 / (1 + effect) : $0 - effect } + c
    func difference(_ first: Set<Int>) -> Double {
      let inFirst = (0..<8).filter(first.contains).map { untreated[$0] }
      let inSecond = (0..<8).filter { !first.contains($0) }.map { untreated[$0] }
      return inFirst.reduce(0, +) / 4 - inSecond.reduce(0, +) / 4
    }
    let observed = abs(difference([0, 1, 2, 3]))
    let extreme = splits.count { abs(difference(Set($0))) >= observed * (1 - 1e-12) }
    return Double(extreme) / Double(splits.count)
  }

  @Test func pValuesMatchScipysExactPermutationTest() throws {
    let url = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVNumericsTests/Reference/randomization_test.csv")
    let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
      .filter { !$0.hasPrefix("#") }.dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(rows.count == 15)
    for row in rows {
      let j = row[0] == "orders" ? 0 : 1
      let effect = Double(row[2])!, expected = Double(row[3])!
      let multiplicative = row[1] == "multiplicative"
      // The p-value of an effect is the p-value of no effect for the outcomes without it.
      let result = Self.exact(j) { multiplicative ? $0 / (1 + effect) : $0 - effect }
      assertClose(
        result.pValue, expected, relative: 1e-12,
        source: "\(Self.scipy), \(row.joined(separator: " "))")
      assertClose(
        Self.bruteForceP(j, effect: effect, multiplicative: multiplicative), expected,
        relative: 1e-12, source: "\(Self.scipy) (the brute-force count)")
    }
  }

  @Test func theLimitsSitWherePCrossesAlpha() throws {
    for j in 0..<2 {
      let result = Self.exact(j)
      let interval = try #require(result.interval)
      #expect(interval.lower < result.difference && result.difference < interval.upper)
      for (limit, inward) in [(interval.lower, 1.0), (interval.upper, -1.0)] {
        let delta = 1e-7 * max(1, abs(limit))
        let inside = Self.bruteForceP(j, effect: limit + inward * delta, multiplicative: false)
        let outside = Self.bruteForceP(j, effect: limit - inward * delta, multiplicative: false)
        #expect(inside > 0.05, "measure \(j) limit \(limit): p just inside \(inside)")
        #expect(outside <= 0.05, "measure \(j) limit \(limit): p just outside \(outside)")
      }
      // Four control customers: dividing the treatment outcomes by a large 1 + ρ leaves a
      // split as extreme as the observed one in more than 5% of the splits, so no large ρ is
      // rejected and the relative interval is unbounded above (none).
      #expect(result.relativeInterval == nil)
      #expect(Self.bruteForceP(j, effect: 1e6, multiplicative: true) > 0.05)
    }
  }

  @Test func seededLimitsSitWhereTheMonteCarloPCrossesAlpha() throws {
    // 30 and 12 customers with skewed positive outcomes; 999 relabellings. The p-value of an effect τ is
    // the p-value of no effect for the treatment outcomes minus τ over the same relabellings
    // (the same seed and group sizes draw the same splits).
    var g = SeededGenerator(seed: 3)
    let t = (0..<30).map { _ in g.gamma(shape: 0.8, rate: 0.02) }
    let c = (0..<12).map { _ in g.gamma(shape: 0.8, rate: 0.02) }
    func result(_ f: (Double) -> Double) -> RandomizationInterval.Result {
      RandomizationInterval.compare(t.map(f), c, measures: 1, permutations: 999, seed: 11)[0]
    }
    let r = result { $0 }
    let interval = try #require(r.interval)
    for (limit, inward) in [(interval.lower, 1.0), (interval.upper, -1.0)] {
      let delta = 1e-7 * max(1, abs(limit))
      #expect(result { $0 - (limit + inward * delta) }.pValue > 0.05)
      #expect(result { $0 - (limit - inward * delta) }.pValue <= 0.05)
    }
    let relative = try #require(r.relativeInterval)
    for (limit, inward) in [(relative.lower, 1.0), (relative.upper, -1.0)] {
      let delta = 1e-7 * max(1, abs(limit))
      #expect(result { $0 / (1 + limit + inward * delta) }.pValue > 0.05)
      #expect(result { $0 / (1 + limit - inward * delta) }.pValue <= 0.05)
    }
  }
}
