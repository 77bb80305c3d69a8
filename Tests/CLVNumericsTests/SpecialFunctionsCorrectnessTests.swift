import CLVNumerics
import Foundation
import TestSupport
import Testing

/// One row of `Reference/special_functions.csv`.
struct SpecialFunctionReference: CustomStringConvertible {
  var function: String
  var region: String
  var arguments: [Double]
  /// The expected value; NaN where the function must return NaN.
  var value: Double
  /// For log2F1: the sign of 2F1 and log |2F1|.
  var sign: Double
  var logMagnitude: Double
  /// For log2F1: every series form loses > 10 bits to cancellation (NaN is allowed).
  var illConditioned: Bool
  var line: Int

  var description: String {
    let list = arguments.map { "\($0)" }.joined(separator: ", ")
    return "special_functions.csv:\(line): \(function)(\(list)) [\(region)]"
  }

  /// Every row, read from the committed CSV written by `scripts/reference/special_functions.py`
  /// (mpmath 1.4.1, mp.dps = 50, cross-checked at 70 digits).
  static func load() throws -> [SpecialFunctionReference] {
    let url = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVNumericsTests/Reference/special_functions.csv")
    let text = try String(contentsOf: url, encoding: .utf8)
    var rows: [SpecialFunctionReference] = []
    for (index, line) in text.split(separator: "\n").enumerated() where index > 0 {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      func number(_ field: String) -> Double {
        switch field {
        case "nan": return .nan
        case "-inf": return -.infinity
        case "+inf", "inf": return .infinity
        default: return Double(field) ?? .nan
        }
      }
      rows.append(
        SpecialFunctionReference(
          function: fields[0], region: fields[1],
          arguments: fields[2...5].filter { !$0.isEmpty }.map(number),
          value: number(fields[6]),
          sign: fields[7].isEmpty ? .nan : number(fields[7]),
          logMagnitude: fields[8].isEmpty ? .nan : number(fields[8]),
          illConditioned: fields[9] == "1",
          line: index + 1))
    }
    return rows
  }
}

/// Special functions against mpmath at 50 digits: script `scripts/reference/special_functions.py`,
/// values in `Tests/CLVNumericsTests/Reference/special_functions.csv`.
@Suite struct SpecialFunctionsCorrectnessTests {
  static let source = "mpmath 50 digits: scripts/reference/special_functions.py"
  let rows: [SpecialFunctionReference]

  init() throws { rows = try SpecialFunctionReference.load() }

  @Test func referenceTableIsComplete() {
    let counts = Dictionary(grouping: rows, by: \.function).mapValues(\.count)
    #expect(counts["digamma", default: 0] >= 30)
    #expect(counts["trigamma", default: 0] >= 30)
    #expect(counts["logBeta", default: 0] >= 20)
    #expect(counts["log2F1", default: 0] >= 1000)
  }

  /// Relative tolerance 2e-15 (a few ulps) for x > 0, including points next to the zero
  /// x₀ = 1.4616… (Taylor series there). For x < 0 the reflection's π cot(πx) adds a few ulps
  /// of π/tan(πf): relative 1e-14 (all grid points are ≥ 0.1 from a pole).
  @Test func digammaMatchesMpmath() {
    for row in rows where row.function == "digamma" {
      let x = row.arguments[0]
      assertClose(
        digamma(x), row.value, relative: x > 0 ? 2e-15 : 1e-14, source: "\(Self.source), \(row)")
    }
  }

  /// Relative tolerance 2e-15 for x > 0 (positive terms only); 1e-14 for x < 0 (reflection
  /// subtracts ψ′(1 − x) from π²/sin²(πx), losing at most one digit on this grid).
  @Test func trigammaMatchesMpmath() {
    for row in rows where row.function == "trigamma" {
      let x = row.arguments[0]
      if !row.value.isFinite {
        #expect(trigamma(x) == row.value, "\(row)")
        continue
      }
      assertClose(
        trigamma(x), row.value, relative: x > 0 ? 2e-15 : 1e-14, source: "\(Self.source), \(row)")
    }
  }

  /// Relative tolerance 1e-14, or absolute 1e-15·(1 + |log Γ(a)| + |log Γ(b)|) where log B is
  /// near zero (B ≈ 1: the value is a difference of log-gammas of that size).
  @Test func logBetaMatchesMpmath() {
    for row in rows where row.function == "logBeta" {
      let (a, b) = (row.arguments[0], row.arguments[1])
      let actual = logBeta(a, b)
      let scale =
        1 + abs(Double.logGamma(Swift.min(a, 10))) + abs(Double.logGamma(Swift.min(b, 10)))
      let absolute = Swift.max(1e-14 * abs(row.value), 1e-15 * scale)
      assertClose(actual, row.value, absolute: absolute, source: "\(Self.source), \(row)")
    }
  }

  /// log 2F1 over the BTYD regions (BG/NBD, MBG/NBD, Pareto/NBD with z of both signs, x up to
  /// 500, T up to 5000), degenerate c − a − b, and a seeded random grid. Tolerance: absolute
  /// 2e-14·max(1, |log 2F1|) on the log, i.e. relative 2e-14 on 2F1 where |log 2F1| ≤ 1; where
  /// log 2F1 is large (up to ~10⁴ at x = 500, z → 1) relative 2e-14 on the log, since the
  /// log-space prefactor (c − a − b)·log(1 − z) carries the rounding of c − a − b. (Largest
  /// error seen: 3.7e-15.)
  /// The random grid uses 2e-12 (largest error seen 4e-13): it includes tiny parameters
  /// (b ~ 1e-7) at z → 1 and z → −∞, where 2F1 is dominated by the solution that is recessive
  /// along the continuation path, so rounding is amplified by (1 − w)^(−|c−a−b|) (up to ~4e3).
  /// Rows where mpmath's 2F1 ≤ 0 must give NaN (and the signed variant the right sign); rows
  /// flagged ill-conditioned by the script (every series form cancels by > 2¹⁰) may give NaN.
  @Test(arguments: ["bgnbd", "mbgnbd", "pnbd", "pnbd-negative-z", "degenerate", "random"])
  func logHypergeometric2F1MatchesMpmath(region: String) {
    for row in rows where row.function == "log2F1" && row.region == region {
      let (a, b, c, z) = (row.arguments[0], row.arguments[1], row.arguments[2], row.arguments[3])
      let actual = logHypergeometric2F1(a, b, c, z)
      let tolerance = region == "random" ? 2e-12 : 2e-14
      if actual.isNaN && row.illConditioned { continue }
      if row.value.isNaN {
        #expect(actual.isNaN, "\(row): expected NaN (2F1 ≤ 0), got \(actual)")
        let signed = signedLogHypergeometric2F1(a, b, c, z)
        #expect(signed.sign == row.sign, "\(row): sign")
        if row.logMagnitude.isFinite {
          assertClose(
            signed.logMagnitude, row.logMagnitude,
            absolute: tolerance * Swift.max(1, abs(row.logMagnitude)),
            source: "\(Self.source), \(row)")
        }
        continue
      }
      assertClose(
        actual, row.value, absolute: tolerance * Swift.max(1, abs(row.value)),
        source: "\(Self.source), \(row)")
    }
  }
}
