import CLVNumerics
import Foundation
import TestSupport
import Testing

/// The campaign readout's statistics against published worked examples ([NEW1998a] Table I,
/// [NEW1998b] Table II, 4 decimals) and scipy 1.17.1 (`scripts/reference/campaign_statistics.py`,
/// `Reference/campaign_statistics.csv`, 17 significant digits).
@Suite struct CampaignStatisticsCorrectnessTests {
  /// (kind, inputs, value) rows of the reference file.
  static func reference() throws -> [(kind: String, inputs: [Double], value: Double)] {
    let url = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVNumericsTests/Reference/campaign_statistics.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    return lines.map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      return (
        String(fields[0]), fields[1].split(separator: ";").map { Double($0)! },
        Double(fields[2])!
      )
    }
  }

  static let scipy = "scipy 1.17.1, scripts/reference/campaign_statistics.py"

  @Test func wilsonIntervalMatchesNewcombeTableI() {
    // [NEW1998a] Table I, method 3 (score interval without continuity correction), 4 decimals.
    let published: [(Int, Int, Double, Double)] = [
      (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0000, 0.1611),
      (1, 29, 0.0061, 0.1718), (29, 29, 0.8830, 1.0000),
    ]
    for (k, n, lower, upper) in published {
      let interval = TwoGroupComparison.wilsonInterval(successes: k, trials: n)
      let source = "NEW1998a Table I, \(k)/\(n), 4 decimals"
      assertClose(interval.lower, lower, absolute: 5e-5, source: source)
      assertClose(interval.upper, upper, absolute: 5e-5, source: source)
    }
  }

  @Test func newcombeHybridIntervalMatchesTableII() {
    // [NEW1998b] Table II, method 10, examples (a)–(f), 4 decimals.
    let published: [(Int, Int, Int, Int, Double, Double)] = [
      (56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090),
      (6, 7, 2, 7, 0.0582, 0.8062), (5, 56, 0, 29, -0.0381, 0.1926),
      (0, 10, 0, 20, -0.1611, 0.2775), (10, 10, 0, 20, 0.6791, 1.0000),
    ]
    for (k1, n1, k2, n2, lower, upper) in published {
      let interval = TwoGroupComparison.newcombeDifference(
        successes: k1, trials: n1, versus: k2, trials: n2)
      let source = "NEW1998b Table II, \(k1)/\(n1) - \(k2)/\(n2), 4 decimals"
      assertClose(interval.lower, lower, absolute: 5e-5, source: source)
      assertClose(interval.upper, upper, absolute: 5e-5, source: source)
    }
  }

  @Test func distributionsMatchScipy() throws {
    var checked = 0
    for row in try Self.reference() {
      let x = row.inputs
      let source = "\(Self.scipy), \(row.kind) \(x)"
      switch row.kind {
      case "norm_ppf":
        // Bisection to adjacent doubles: a few ulps of z; 1e-12 relative (absolute at z = 0).
        assertClose(
          StandardNormal.quantile(x[0]), row.value, absolute: 1e-12 * max(1, abs(row.value)),
          source: source)
      case "t_ppf":
        // The continued fraction converges to 1e-16 per step; 1e-10 relative leaves room for
        // the bisection and scipy's own iteration.
        assertClose(
          StudentT.quantile(x[0], degreesOfFreedom: x[1]), row.value, relative: 1e-10,
          source: source)
      case "t_sf":
        assertClose(
          StudentT.survival(x[0], degreesOfFreedom: x[1]), row.value, relative: 1e-11,
          source: source)
      case "betainc":
        assertClose(
          regularizedIncompleteBeta(x: x[0], a: x[1], b: x[2]), row.value, relative: 1e-11,
          source: source)
      case "prop_p":
        let p = TwoGroupComparison.twoProportionPValue(
          successes: Int(x[0]), trials: Int(x[1]), versus: Int(x[2]), trials: Int(x[3]))
        assertClose(p, row.value, relative: 1e-10, source: source)
      case "welch_lower", "welch_upper", "welch_p", "welch_df":
        let first = TwoGroupComparison.Moments(Self.samples(seed: Int(x[0]), count: Int(x[1])))
        let second = TwoGroupComparison.Moments(Self.samples(seed: Int(x[2]), count: Int(x[3])))
        let w = TwoGroupComparison.welch(first, second)
        let value: Double? =
          switch row.kind {
          case "welch_lower": w.interval.lower
          case "welch_upper": w.interval.upper
          case "welch_p": w.pValue
          default: w.degreesOfFreedom
          }
        assertClose(value ?? .nan, row.value, relative: 1e-9, source: source)
      case "mde":
        let mde = TwoGroupComparison.minimumDetectableDifference(
          baselineRate: x[0], treatment: Int(x[1]), control: Int(x[2]))
        assertClose(mde, row.value, relative: 1e-12, source: source)
      default:
        Issue.record("unknown reference kind \(row.kind)")
      }
      checked += 1
    }
    #expect(checked >= 40)
  }

  /// The reference script's samples: ((i · seed) mod 97) / 7 for i = 1…count.
  static func samples(seed: Int, count: Int) -> [Double] {
    (1...count).map { Double(($0 * seed) % 97) / 7 }
  }

  @Test func relativeLiftIntervalIsTheLogRiskRatioInterval() {
    // By hand: 120/1000 vs 95/1000, log RR = log(120/95) = 0.233615,
    // se = √(1/120 − 1/1000 + 1/95 − 1/1000) = 0.129845; exp(0.233615 ± 1.959964 · 0.133198) − 1.
    let interval = TwoGroupComparison.relativeLiftInterval(
      successes: 120, trials: 1000, versus: 95, trials: 1000)!
    let logRatio = Foundation.log(120.0 / 95)
    let se = (1.0 / 120 - 1.0 / 1000 + 1.0 / 95 - 1.0 / 1000).squareRoot()
    assertClose(logRatio, 0.233615, absolute: 5e-7, source: "by hand, 6 decimals")
    assertClose(se, 0.129845, absolute: 5e-7, source: "by hand, 6 decimals")
    assertClose(
      interval.lower, Foundation.exp(logRatio - 1.959963984540054 * se) - 1, relative: 1e-14,
      source: "Katz log interval")
    assertClose(
      interval.upper, Foundation.exp(logRatio + 1.959963984540054 * se) - 1, relative: 1e-14,
      source: "Katz log interval")
    #expect(
      TwoGroupComparison.relativeLiftInterval(successes: 0, trials: 10, versus: 3, trials: 10)
        == nil)
  }
}
