import CLVNumerics
import Foundation
import TestSupport
import Testing

/// The bootstrap-t against an independent numpy computation of the textbook definition with the
/// same random indices (`scripts/reference/bootstrap_t.py`, `Reference/bootstrap_t.csv`, 17
/// significant digits).
@Suite struct StudentizedBootstrapCorrectnessTests {
  static let numpy = "numpy 2.4.6, scripts/reference/bootstrap_t.py"

  /// The script's data, customer-major (orders, revenue): treatment i = 1…14 has orders
  /// (3i) mod 4 and revenue orders · (7 + (11i) mod 13)/3; control i = 1…6 has orders
  /// [i mod 3 = 0] + [i = 5] and revenue orders · (5 + 2i)/7.
  static func groups() -> (treatment: [Double], control: [Double]) {
    var treatment: [Double] = []
    for i in 1...14 {
      let orders = Double((3 * i) % 4)
      treatment += [orders, orders * Double(7 + (11 * i) % 13) / 3]
    }
    var control: [Double] = []
    for i in 1...6 {
      let orders = Double((i % 3 == 0 ? 1 : 0) + (i == 5 ? 1 : 0))
      control += [orders, orders * Double(5 + 2 * i) / 7]
    }
    return (treatment, control)
  }

  @Test func matchesAnIndependentComputationOfTheDefinition() throws {
    let url = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVNumericsTests/Reference/bootstrap_t.csv")
    let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
      .map { $0.split(separator: ",").map(String.init) }
    #expect(rows.count == 4)
    let (treatment, control) = Self.groups()
    for (name, resamples, seed) in [("b999_seed42", 999, UInt64(42)), ("b1999_seed7", 1999, 7)] {
      let results = StudentizedBootstrap.compare(
        treatment, control, measures: 2, resamples: resamples, seed: seed)
      for row in rows where row[0] == name {
        let j = Int(row[1])!
        let r = results[j]
        let expected = row[2...6].map { Double($0)! }
        // The same indices and definition: only the order of floating-point sums differs
        // (centred sums here, numpy's pairwise sums there), so 1e-9 relative.
        let interval = try #require(r.interval)
        let relative = try #require(r.relativeInterval)
        assertClose(interval.lower, expected[0], relative: 1e-9, source: Self.numpy)
        assertClose(interval.upper, expected[1], relative: 1e-9, source: Self.numpy)
        assertClose(relative.lower, expected[2], relative: 1e-9, source: Self.numpy)
        assertClose(relative.upper, expected[3], relative: 1e-9, source: Self.numpy)
        // A count of t* on either side of t: a t* equal to t up to rounding could fall on
        // the other side, moving p by 2/(B + 1) at most.
        let p = try #require(r.pValue)
        assertClose(
          p, expected[4], absolute: 2.0 / Double(resamples + 1) + 1e-12, source: Self.numpy)
        #expect(r.usableResamples == Int(row[7])!, "\(name) measure \(j)")
        #expect(r.usableRelativeResamples == Int(row[8])!, "\(name) measure \(j)")
      }
    }
  }

  @Test func handCheckedParts() throws {
    let (treatment, control) = Self.groups()
    let r = StudentizedBootstrap.compare(
      treatment, control, measures: 2, resamples: 999, seed: 42)
    // Orders: treatment (3i) mod 4 for i = 1…14 is 3, 2, 1, 0 three times then 3, 2: four 3s,
    // four 2s, three 1s, three 0s, sum 23, sum of squares 55; control 0, 0, 1, 0, 1, 1: mean
    // 1/2, variance 1.5/5 = 0.3. Difference 23/14 − 1/2 = 8/7.
    assertClose(r[0].difference, 8.0 / 7, relative: 1e-12, source: "by hand")
    let treatmentVariance = (55 - 23.0 * 23 / 14) / 13
    assertClose(
      r[0].standardError, (treatmentVariance / 14 + 0.3 / 6).squareRoot(), relative: 1e-12,
      source: "by hand")
    // The interval contains the difference, and the resampling is deterministic in the seed.
    #expect(try #require(r[0].interval).contains(8.0 / 7))
    let again = StudentizedBootstrap.compare(
      treatment, control, measures: 2, resamples: 999, seed: 42)
    #expect(again == r)
    let other = StudentizedBootstrap.compare(
      treatment, control, measures: 2, resamples: 999, seed: 43)
    #expect(other[1].interval != r[1].interval)
  }

  @Test func constantGroupsGiveThePointWithoutATest() throws {
    let r = StudentizedBootstrap.compare(
      [2, 2, 2], [1, 1], measures: 1, resamples: 99, seed: 1)
    #expect(r[0].interval == ConfidenceInterval(lower: 1, upper: 1))
    #expect(r[0].pValue == nil)
    #expect(r[0].usableResamples == 0)
  }

  @Test func oneMeasureAtATimeEqualsTheJointResampling() throws {
    // Resampling customers draws the same indices whatever the number of measures: the
    // revenue column alone gives the revenue results of the joint call.
    let (treatment, control) = Self.groups()
    let joint = StudentizedBootstrap.compare(
      treatment, control, measures: 2, resamples: 499, seed: 9)
    let revenue = StudentizedBootstrap.compare(
      stride(from: 1, to: treatment.count, by: 2).map { treatment[$0] },
      stride(from: 1, to: control.count, by: 2).map { control[$0] }, measures: 1,
      resamples: 499, seed: 9)
    let a = try #require(joint[1].interval), b = try #require(revenue[0].interval)
    assertClose(a.lower, b.lower, relative: 1e-12, source: "same indices")
    assertClose(a.upper, b.upper, relative: 1e-12, source: "same indices")
  }
}
