import CLVNumerics
import TestSupport
import Testing

/// Identities and continuity of the special functions (no external reference values).
@Suite struct SpecialFunctionsConsistencyTests {
  /// Arguments spanning the Taylor window at the zero of ψ (1.21…1.71), the recurrence region
  /// and the asymptotic threshold (15), tiny and large values.
  static let gammaArguments: [Double] = [
    1e-9, 0.003, 0.2, 0.7, 1.0, 1.2, 1.21, 1.46, 1.7, 2.5, 9.5, 13.9, 14.0, 14.5, 15.0, 40.0,
    1e4, 1e9,
  ]

  /// ψ(x + 1) = ψ(x) + 1/x (DLMF 5.5.2). Tolerance: absolute 4e-15·max(1, |ψ(x+1)|, 1/x), the
  /// rounding of both sides (the sum ψ(x) + 1/x itself cancels near x ≈ 0.46).
  @Test func digammaRecurrence() {
    for x in Self.gammaArguments {
      let left = digamma(x + 1)
      let right = digamma(x) + 1 / x
      let scale = Swift.max(1, abs(left), 1 / x)
      assertClose(left, right, absolute: 4e-15 * scale, source: "DLMF 5.5.2 at x = \(x)")
    }
  }

  /// ψ′(x + 1) = ψ′(x) − 1/x² (DLMF 5.15.5); relative 4e-15 of ψ′(x).
  @Test func trigammaRecurrence() {
    for x in Self.gammaArguments {
      let left = trigamma(x + 1) + 1 / (x * x)
      assertClose(left, trigamma(x), relative: 4e-15, source: "DLMF 5.15.5 at x = \(x)")
    }
  }

  /// Reflection ψ(1 − x) − ψ(x) = π cot(πx) and ψ′(1 − x) + ψ′(x) = π²/sin²(πx) (DLMF 5.5.4,
  /// 5.15.6) at negative non-integers. Absolute 1e-13·max(1, |terms|): cot and sin² of πx are
  /// evaluated in Double here, with the argument rounding of πx (~1e-16·|x|·π).
  @Test func reflection() {
    for x in [-0.3, -0.5, -1.75, -7.2, -30.6] {
      let cot = 1 / Double.tan(Double.pi * x)
      let left = digamma(1 - x) - digamma(x)
      assertClose(
        left, Double.pi * cot, absolute: 1e-13 * Swift.max(1, abs(left)),
        source: "DLMF 5.5.4 at x = \(x)")
      let sine = Double.sin(Double.pi * x)
      let sum = trigamma(1 - x) + trigamma(x)
      assertClose(
        sum, Double.pi * Double.pi / (sine * sine), relative: 1e-13,
        source: "DLMF 5.15.6 at x = \(x)")
    }
    #expect(digamma(0).isNaN && digamma(-3).isNaN && trigamma(-2).isNaN)
  }

  /// ψ is the derivative of log Γ: central differences of `logGamma` with step 1e-5·max(1, x)
  /// agree to absolute 1e-8 (truncation h²ψ″/6 plus rounding 1e-16·|logΓ|/h).
  @Test func digammaIsTheDerivativeOfLogGamma() {
    for x in [0.3, 1.0, 1.46, 3.3, 12.0, 15.5, 80.0] {
      let h = 1e-5 * Swift.max(1, x)
      let difference = (Double.logGamma(x + h) - Double.logGamma(x - h)) / (2 * h)
      assertClose(digamma(x), difference, absolute: 1e-8, source: "central difference, x = \(x)")
    }
  }

  /// B(a, b) = B(a + 1, b)·(a + b)/a (DLMF 5.12.1 with Γ(a + 1) = aΓ(a)) and symmetry, across
  /// the switch points of `logBeta` (max(a, b) = 10, min(a, b) = 10). Absolute
  /// 1e-14·max(1, |log B|, log(a+b)): rounding of the log terms.
  @Test func logBetaRecurrenceAndSymmetry() {
    let values: [Double] = [1e-6, 0.4, 1, 3.2, 9.3, 9.999, 10.5, 25, 1e3, 1e7]
    for a in values {
      for b in values {
        let left = logBeta(a, b)
        let right = logBeta(a + 1, b) + Double.log((a + b) / a)
        let scale = Swift.max(1, abs(left), Double.log(a + b))
        assertClose(left, right, absolute: 1e-14 * scale, source: "B(a,b) recurrence, \(a), \(b)")
        #expect(logBeta(a, b) == logBeta(b, a))
      }
    }
    #expect(logBeta(0, 1).isNaN && logBeta(-1, 2).isNaN && logBeta(.infinity, 1).isNaN)
  }

  /// Inputs for the 2F1 identities: BTYD-like parameters over every region of z.
  static let hypergeometricCases: [(a: Double, b: Double, c: Double)] = [
    (0.243, 2.426, 2.219), (2.243, 4.426, 4.219), (400.243, 402.426, 402.219),
    (1.159, 1.606, 2.159), (500.7, 501.1, 501.7), (0.3, 1.7, 3.0), (2.5, 0.8, 1.1),
    (1e-3, 5.0, 0.7), (30.0, 0.5, 60.0),
  ]
  static let hypergeometricArguments: [Double] = [
    -1e6, -40, -3, -1, -0.6, -0.2, 0.1, 0.45, 0.5, 0.55, 0.8, 0.97, 0.999, 1 - 1e-7, 1 - 1e-11,
  ]

  /// 2F1(a, b; c; z) = 2F1(b, a; c; z) (DLMF 15.2.1 is symmetric). Absolute 1e-13·max(1, |log|).
  @Test func hypergeometricSymmetry() {
    for (a, b, c) in Self.hypergeometricCases {
      for z in Self.hypergeometricArguments {
        let left = logHypergeometric2F1(a, b, c, z)
        let right = logHypergeometric2F1(b, a, c, z)
        assertClose(
          left, right, absolute: 1e-13 * Swift.max(1, abs(left)),
          source: "a ↔ b symmetry, (\(a), \(b), \(c), \(z))")
      }
    }
  }

  /// Gauss's contiguous relation (DLMF 15.5.11)
  ///     (c − a) F(a − 1) + (2a − c + (b − a) z) F(a) + a (z − 1) F(a + 1) = 0,
  /// each F evaluated independently (often by different methods: series, Euler/Pfaff form,
  /// continuation). Divided by F(a) in log space; the residual must be below 1e-11 times the
  /// largest of the three terms (each F carries ≤ 1e-13 relative error; the terms cancel).
  @Test func hypergeometricContiguousRelation() {
    for (a, b, c) in Self.hypergeometricCases {
      for z in Self.hypergeometricArguments {
        // The signed variant: F(a − 1) or F(a + 1) may be negative (e.g. a − 1 < 0).
        let center = signedLogHypergeometric2F1(a, b, c, z)
        let lower = signedLogHypergeometric2F1(a - 1, b, c, z)
        let upper = signedLogHypergeometric2F1(a + 1, b, c, z)
        guard center.sign != 0, [center, lower, upper].allSatisfy({ $0.logMagnitude.isFinite })
        else {
          Issue.record("non-finite 2F1 at (\(a), \(b), \(c), \(z)): \(lower) \(center) \(upper)")
          continue
        }
        let terms = [
          (c - a) * lower.sign * center.sign * Double.exp(lower.logMagnitude - center.logMagnitude),
          2 * a - c + (b - a) * z,
          a * (z - 1) * upper.sign * center.sign
            * Double.exp(upper.logMagnitude - center.logMagnitude),
        ]
        let residual = terms.reduce(0, +)
        let scale = terms.map(abs).max()!
        assertClose(
          residual, 0, absolute: 1e-11 * scale, source: "DLMF 15.5.11, (\(a), \(b), \(c), \(z))")
      }
    }
  }

  /// Continuity where the method changes: at z = ½ (Maclaurin series ↔ Taylor continuation),
  /// at z = 0 (Pfaff ↔ Euler forms) and at z → 1 (Gauss's sum, DLMF 15.4.20). Across a gap
  /// of 2δ the log must change by 2δ·(d/dz) log 2F1 = 2δ·(ab/c) F(a+1, b+1; c+1)/F
  /// (DLMF 15.5.1) up to O(δ²) + rounding: absolute 1e-9 with δ = 1e-6 (second derivative
  /// ≲ 10³ on these cases).
  @Test func hypergeometricIsContinuousAtSwitchPoints() {
    let delta = 1e-6
    for (a, b, c) in Self.hypergeometricCases where a < 100 {
      for z in [0.0, 0.5] {
        let slope =
          a * b / c
          * Double.exp(
            logHypergeometric2F1(a + 1, b + 1, c + 1, z) - logHypergeometric2F1(a, b, c, z))
        let jump =
          logHypergeometric2F1(a, b, c, z + delta)
          - logHypergeometric2F1(a, b, c, z - delta)
        assertClose(
          jump, 2 * delta * slope, absolute: 1e-9,
          source: "DLMF 15.5.1 at z = \(z), (\(a), \(b), \(c))")
      }
    }
    // z → 1 with c − a − b = 1.5 > 0: 2F1(1 − ε) = 2F1(1) + O(ε) (DLMF 15.4.20, 15.8.4).
    let atOne = logHypergeometric2F1(0.3, 0.2, 2.0, 1)
    let gauss =
      Double.logGamma(2.0) + Double.logGamma(1.5) - Double.logGamma(1.7)
      - Double.logGamma(1.8)
    assertClose(atOne, gauss, absolute: 1e-14, source: "DLMF 15.4.20")
    assertClose(
      logHypergeometric2F1(0.3, 0.2, 2.0, 1 - 1e-12), gauss, absolute: 1e-11,
      source: "DLMF 15.4.20, limit z → 1")
    #expect(logHypergeometric2F1(1, 2, 2.5, 1).isNaN)  // c − a − b ≤ 0: diverges
  }

  /// The BG/NBD case c = a + b + x − 1 ≤ 0 ([FHL2005a] eq. (10) with x = 0, a + b ≤ 1):
  /// c·2F1 is continuous through c = 0 with limit a b z 2F1(a + 1, b + 1; 2; z) (DLMF 15.2.1
  /// termwise), and the signed variant gives it from both sides. Relative 1e-6: the O(c)
  /// change at c = ±1e-7.
  @Test func bgnbdNonPositiveLowerParameterIsHandledBySignedVariant() {
    let (r, b, z) = (0.243, 0.5, 0.85)
    let limit = r * b * z * Double.exp(logHypergeometric2F1(r + 1, b + 1, 2, z))
    for c in [-1e-7, 1e-7] {
      let signed = signedLogHypergeometric2F1(r, b, c, z)
      let product = c * signed.sign * Double.exp(signed.logMagnitude)
      assertClose(product, limit, relative: 1e-6, source: "limit from DLMF 15.2.1, c = \(c)")
    }
    #expect(logHypergeometric2F1(r, b, -1e-7, z).isNaN)  // 2F1 < 0 here: log undefined
    #expect(logHypergeometric2F1(r, b, 0, z).isNaN)  // c = 0: pole
    #expect(logHypergeometric2F1(r, b, 2, 1.5).isNaN)  // branch cut
  }
}
