import CLVNumerics
import TestSupport
import Testing

/// The seeded randomization interval: deterministic for a seed, close to the exact test when the
/// relabellings are many, measures sharing relabellings agree with one measure at a time.
@Suite struct RandomizationIntervalConsistencyTests {
  static func data(seed: UInt64, n1: Int, n2: Int) -> ([Double], [Double]) {
    var g = SeededGenerator(seed: seed)
    func customer() -> [Double] {
      let orders = g.uniform() < 0.2 ? Double(1 + Int(g.uniform() * 3)) : 0
      return [orders, orders * g.gamma(shape: 2, rate: 0.05)]
    }
    return ((0..<n1).flatMap { _ in customer() }, (0..<n2).flatMap { _ in customer() })
  }

  @Test func theSameSeedGivesTheSameResultAnotherSeedAnother() {
    let (t, c) = Self.data(seed: 1, n1: 200, n2: 40)
    let a = RandomizationInterval.compare(t, c, measures: 2, permutations: 499, seed: 7)
    let b = RandomizationInterval.compare(t, c, measures: 2, permutations: 499, seed: 7)
    let other = RandomizationInterval.compare(t, c, measures: 2, permutations: 499, seed: 8)
    #expect(a == b)
    #expect(a[1].interval != other[1].interval)
    // The difference does not depend on the relabellings.
    #expect(a[1].difference == other[1].difference)
  }

  @Test func measuresTogetherEqualMeasuresAlone() {
    let (t, c) = Self.data(seed: 2, n1: 60, n2: 25)
    let both = RandomizationInterval.compare(t, c, measures: 2, permutations: 299, seed: 4)
    for j in 0..<2 {
      let alone = RandomizationInterval.compare(
        stride(from: j, to: t.count, by: 2).map { t[$0] },
        stride(from: j, to: c.count, by: 2).map { c[$0] }, measures: 1, permutations: 299,
        seed: 4)
      #expect(both[j] == alone[0])
    }
  }

  @Test func manyRelabellingsApproachTheExactTest() throws {
    // 5 and 4 customers: 126 splits, enumerated; 19,999 seeded relabellings estimate the same
    // p-value within 4 Monte Carlo standard errors (√(p(1−p)/P) ≤ 0.0036).
    let t: [Double] = [0, 14, 3, 25, 60], c: [Double] = [0, 5, 0, 9]
    var splits: [[Int]] = []
    for mask in 0..<512 where mask.nonzeroBitCount == 5 {
      splits.append((0..<9).filter { mask & (1 << $0) != 0 })
    }
    #expect(splits.count == 126)
    let exact = RandomizationInterval.compare(
      t, c, measures: 1, relabellings: splits, observedCounts: false)[0]
    let seeded = RandomizationInterval.compare(t, c, measures: 1, permutations: 19_999, seed: 1)[0]
    assertClose(seeded.pValue, exact.pValue, absolute: 0.015, source: "Monte Carlo error")
    #expect(exact.pValue > 0 && exact.pValue < 1)
  }

  @Test func tooFewRelabellingsGiveNoInterval() {
    // 18 relabellings: (1 + #)/19 ≥ 1/19 > 0.05 for every τ, so no effect is rejected; with
    // 19, (1 + 0)/20 = 0.05 rejects.
    let (t, c) = Self.data(seed: 3, n1: 30, n2: 10)
    let r = RandomizationInterval.compare(t, c, measures: 2, permutations: 18, seed: 1)
    let nineteen = RandomizationInterval.compare(t, c, measures: 2, permutations: 19, seed: 1)
    #expect(nineteen[1].interval != nil)
    #expect(r[0].interval == nil && r[1].interval == nil)
    #expect(r[1].pValue >= 0.05)
  }
}
