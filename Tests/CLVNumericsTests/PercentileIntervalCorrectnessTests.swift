import CLVNumerics
import TestSupport
import Testing

/// The equal-tailed percentile interval ([HF1996] definition 7) and the multivariate normal
/// draws behind `clv score --intervals`.
@Suite struct PercentileIntervalCorrectnessTests {
  /// Definition 7 by a full sort: the reference for the selection-based computation.
  func sortedQuantile(_ values: [Double], _ p: Double) -> Double {
    let x = values.sorted()
    let h = Double(x.count - 1) * p
    let j = Int(h.rounded(.down))
    guard j + 1 < x.count else { return x[j] }
    return x[j] + (h - Double(j)) * (x[j + 1] - x[j])
  }

  @Test func handComputedValues() {
    // 1…10 shuffled; level 0.9: h = 9 · 0.05 = 0.45 → 1.45, h = 9 · 0.95 = 8.55 → 9.55
    // (numpy.percentile([1..10], [5, 95]) = [1.45, 9.55]).
    let (low, high) = PercentileInterval.of([7, 3, 10, 1, 5, 9, 2, 8, 4, 6], level: 0.9)
    assertClose(low, 1.45, absolute: 1e-12, source: "HF1996 def. 7, by hand")
    assertClose(high, 9.55, absolute: 1e-12, source: "HF1996 def. 7, by hand")
    // One value: both bounds are it; two values, level 0.5: h = 0.25 and 0.75.
    let one = PercentileInterval.of([3], level: 0.9)
    #expect(one.low == 3 && one.high == 3)
    let two = PercentileInterval.of([4, 2], level: 0.5)
    assertClose(two.low, 2.5, absolute: 1e-12, source: "HF1996 def. 7, by hand")
    assertClose(two.high, 3.5, absolute: 1e-12, source: "HF1996 def. 7, by hand")
  }

  /// The tails pass (a sample's cuts, then selections among the values beyond them) on the
  /// sizes `clv score --intervals` uses: the same values as sorting for many seeds (some
  /// samples leave a cut short and fall back to the selections), for sorted, reversed and
  /// constant draws, and for heavy ties.
  @Test func tailsAgreeWithSorting() {
    var generator = SeededGenerator(seed: 23)
    var inputs: [[Double]] = []
    for _ in 0..<300 { inputs.append((0..<200).map { _ in generator.normal() }) }
    for n in [64, 100, 200, 1000] {
      let increasing = (0..<n).map(Double.init)
      inputs += [increasing, increasing.reversed(), [Double](repeating: 2.5, count: n)]
      inputs.append((0..<n).map { _ in (generator.uniform() * 3).rounded(.down) })
    }
    for values in inputs {
      for level in [0.8, 0.9, 0.95] {
        let (low, high) = PercentileInterval.of(values, level: level)
        #expect(low == sortedQuantile(values, (1 - level) / 2), "n \(values.count) \(level)")
        #expect(high == sortedQuantile(values, (1 + level) / 2), "n \(values.count) \(level)")
      }
    }
  }

  @Test func selectionAgreesWithSorting() {
    var generator = SeededGenerator(seed: 17)
    for n in [2, 3, 7, 50, 200, 201, 1000] {
      for level in [0.5, 0.8, 0.9, 0.95, 0.99] {
        // Ties included: values rounded to a coarse grid.
        let values = (0..<n).map { _ in (generator.normal() * 4).rounded() / 4 }
        let (low, high) = PercentileInterval.of(values, level: level)
        #expect(low == sortedQuantile(values, (1 - level) / 2), "n \(n) level \(level)")
        #expect(high == sortedQuantile(values, (1 + level) / 2), "n \(n) level \(level)")
      }
    }
  }

  @Test func normalDrawsHaveTheCovariance() throws {
    let mean = [1.0, -2.0, 0.5]
    let sigma = Matrix([[0.04, 0.01, -0.005], [0.01, 0.09, 0.0], [-0.005, 0.0, 0.01]])
    let normal = try MultivariateNormal(mean: mean, covariance: sigma)
    let n = 20_000
    let draws = normal.draws(n, seed: 5)
    #expect(draws == normal.draws(n, seed: 5))
    #expect(draws != normal.draws(n, seed: 6))
    for i in 0..<3 {
      let m = draws.reduce(0) { $0 + $1[i] } / Double(n)
      // 4σ band of a sample mean: 4 √(Σᵢᵢ / n).
      let band = 4 * (sigma[i, i] / Double(n)).squareRoot()
      #expect(abs(m - mean[i]) <= band, "mean \(i): \(m)")
      for j in 0...i {
        let c =
          draws.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / Double(n)
        // Var of a sample covariance of normals: (Σᵢⱼ² + ΣᵢᵢΣⱼⱼ)/n; 4σ band.
        let sd = ((sigma[i, j] * sigma[i, j] + sigma[i, i] * sigma[j, j]) / Double(n))
          .squareRoot()
        #expect(abs(c - sigma[i, j]) <= 4 * sd, "covariance (\(i), \(j)): \(c)")
      }
    }
  }

  @Test func zeroCovarianceGivesTheMean() throws {
    let normal = try MultivariateNormal(mean: [0.3, 4], covariance: Matrix(rows: 2, columns: 2))
    #expect(normal.draws(10, seed: 1).allSatisfy { $0 == [0.3, 4] })
  }

  @Test func notACovarianceIsAnError() {
    #expect(throws: LinearAlgebraError.self) {
      _ = try MultivariateNormal(mean: [0, 0], covariance: Matrix([[1, 2], [2, 1]]))
    }
    #expect(throws: LinearAlgebraError.self) {
      _ = try MultivariateNormal(mean: [0, 0, 0], covariance: Matrix([[1, 0], [0, 1]]))
    }
  }
}
