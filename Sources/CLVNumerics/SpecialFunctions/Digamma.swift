// Digamma and trigamma functions (swift-numerics' RealModule provides only logGamma/gamma).

/// Bernoulli-number coefficients B₂ₖ/(2k) of the digamma asymptotic series, k = 1…7.
private let digammaAsymptotic: [Double] = [
  1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12,
]

/// Bernoulli numbers B₂ₖ, k = 1…8, the coefficients of the trigamma asymptotic series.
private let trigammaAsymptotic: [Double] = [
  1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
]

/// The positive zero x₀ of ψ as a sum hi + lo of doubles, and the Taylor coefficients
/// ψ⁽ᵏ⁾(x₀)/k!, k = 1…22, of ψ about it (computed with mpmath at 40 digits:
/// `mp.findroot(mp.digamma, 1.46)`, `mp.polygamma(k, x0) / mp.factorial(k)`).
private let digammaZeroHigh = 1.4616321449683622
private let digammaZeroLow = 9.549995429965697e-17
private let digammaZeroTaylor: [Double] = [
  0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
  0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736,
  0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.007204534386356869,
  0.004926781395729853, -0.003369801655439328, 0.002305126326734928, -0.0015769367714301972,
  0.0010788252019162967, -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
  0.00023635601564027053, -0.00016170622091974803,
]

/// Below this the recurrences shift the argument up; at or above it the asymptotic series is
/// used directly (its first omitted term is below 1e-19 relative there).
private let asymptoticThreshold = 15.0

/// The digamma function ψ(x) = d/dx log Γ(x).
///
/// For x ≥ 15 the asymptotic expansion, otherwise the recurrence to shift x up first; within
/// 0.25 of the positive zero x₀ = 1.46163… a Taylor series about x₀ (coefficients
/// ψ⁽ᵏ⁾(x₀)/k!, DLMF §5.15, 22 terms), so that the relative error stays small there too:
///
///     ψ(x) ~ log x − 1/(2x) − Σₖ₌₁⁷ B₂ₖ / (2k x²ᵏ)          (DLMF 5.11.2)
///     ψ(x) = ψ(x + n) − Σₖ₌₀ⁿ⁻¹ 1/(x + k)                   (DLMF 5.5.2)
///     ψ(x) = ψ(1 − x) − π cot(πx),  x < 0                   (DLMF 5.5.4, reflection)
///
/// This is the method of Bernardo (1976), Algorithm AS 103, with more asymptotic terms.
///
/// - Domain: every finite x except 0, −1, −2, … (poles: returns NaN there, and for NaN input);
///   +∞ gives +∞.
/// - Accuracy: relative error ≤ 2e-15 for x > 0 (mpmath, 50 digits, see
///   `SpecialFunctionsCorrectnessTests`), including near the zero x₀.
///   For x < 0 the reflection adds the error of π cot(πx), i.e. relative error grows like
///   1/dist(x, ℤ) near the poles.
/// - Source: [DLMF] §5.5, §5.11 (https://dlmf.nist.gov/5); [Bernardo1976]: Bernardo, J. M.
///   (1976), "Algorithm AS 103: Psi (digamma) function", Applied Statistics 25(3), 315–317.
/// - Complexity: at most 15 recurrence steps and 7 series terms, or 22 Taylor terms.
public func digamma(_ x: Double) -> Double {
  guard x.isFinite else { return x == .infinity ? .infinity : .nan }
  if x <= 0 {
    if x == x.rounded(.down) { return .nan }  // pole
    // ψ(x) = ψ(1 − x) − π / tan(πx), with tan(πx) = tan(πf), f = x − round(x) exact.
    return digamma(1 - x) - Double.pi / Double.tan(Double.pi * (x - x.rounded()))
  }
  let offset = (x - digammaZeroHigh) - digammaZeroLow
  if abs(offset) < 0.25 {
    // Near the zero, the recurrence below cancels; the Taylor series about x₀ does not
    // (terms fall by at least 0.25/x₀ ≈ 0.17 each, so 22 terms reach 1e-17).
    var sum = 0.0
    for coefficient in digammaZeroTaylor.reversed() { sum = sum * offset + coefficient }
    return sum * offset
  }
  var value = 0.0
  var y = x
  while y < asymptoticThreshold {
    value -= 1 / y
    y += 1
  }
  let inverseSquare = 1 / (y * y)
  var series = 0.0
  var power = inverseSquare
  for coefficient in digammaAsymptotic {
    series += coefficient * power
    power *= inverseSquare
  }
  return value + Double.log(y) - 0.5 / y - series
}

/// The trigamma function ψ′(x) = d²/dx² log Γ(x).
///
///     ψ′(x) ~ 1/x + 1/(2x²) + Σₖ₌₁⁸ B₂ₖ / x²ᵏ⁺¹              (DLMF 5.15.8), x ≥ 15
///     ψ′(x) = ψ′(x + n) + Σₖ₌₀ⁿ⁻¹ 1/(x + k)²                 (DLMF 5.15.5)
///     ψ′(x) = π² / sin²(πx) − ψ′(1 − x),  x < 0             (DLMF 5.15.6, reflection)
///
/// - Domain: every finite x except 0, −1, −2, … (NaN there and for NaN input); +∞ gives 0.
/// - Accuracy: relative error ≤ 2e-15 for x > 0 (all terms positive, no cancellation;
///   mpmath, 50 digits). For x < 0 the reflection subtracts two positive numbers: the error is
///   relative to π²/sin²(πx).
/// - Source: [DLMF] §5.15 (https://dlmf.nist.gov/5.15); the method of [Schneider1978]:
///   Schneider, B. E. (1978),
///   "Algorithm AS 121: Trigamma function", Applied Statistics 27(1), 97–99, with more
///   terms.
/// - Complexity: at most 15 recurrence steps and 8 series terms.
public func trigamma(_ x: Double) -> Double {
  guard x.isFinite else { return x == .infinity ? 0 : .nan }
  if x <= 0 {
    if x == x.rounded(.down) { return .nan }  // pole
    let s = Double.sin(Double.pi * (x - x.rounded()))  // sin²(πx) = sin²(πf), f exact
    return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
  }
  var value = 0.0
  var y = x
  while y < asymptoticThreshold {
    value += 1 / (y * y)
    y += 1
  }
  let inverse = 1 / y
  let inverseSquare = inverse * inverse
  var series = 0.0
  var power = inverseSquare * inverse
  for coefficient in trigammaAsymptotic {
    series += coefficient * power
    power *= inverseSquare
  }
  return value + inverse + 0.5 * inverseSquare + series
}
