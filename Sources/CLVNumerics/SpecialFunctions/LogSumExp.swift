/// log(Σ exp(xᵢ)) without overflow or underflow.
///
///     log Σ exp(xᵢ) = m + log Σ exp(xᵢ − m),   m = max xᵢ
///
/// Exact to a few ulps for finite inputs; returns −∞ for an empty list or when every term is −∞,
/// and +∞ when any term is +∞.
/// - Source: the standard max-shift identity (e.g. Blanchard, Higham & Higham 2021, IMA J. Numer.
///   Anal. 41(4), "Accurately computing the log-sum-exp and softmax functions").
public func logSumExp(_ values: [Double]) -> Double {
  guard let m = values.max(), m > -.infinity else { return -.infinity }
  if m == .infinity { return .infinity }
  var sum = 0.0
  for v in values { sum += Double.exp(v - m) }
  return m + Double.log(sum)
}

/// log(exp(a) + exp(b)) without overflow: `max(a, b) + log1p(exp(−|a − b|))`.
/// - Source: as ``logSumExp(_:)``.
@inlinable
public func logSumExp(_ a: Double, _ b: Double) -> Double {
  if a == -.infinity { return b }
  if b == -.infinity { return a }
  let m = Swift.max(a, b)
  if m == .infinity { return .infinity }
  return m + Double.log(onePlus: Double.exp(-abs(a - b)))
}

/// log(exp(a) − exp(b)) for a ≥ b: `a + log(−expm1(b − a))`; −∞ when a == b, NaN when a < b.
/// - Source: Mächler (2012), "Accurately computing log(1 − exp(−|a|))", CRAN Rmpfr vignette:
///   for a − b ≤ log 2 use log(−expm1(·)), else log1p(−exp(·)).
@inlinable
public func logDiffExp(_ a: Double, _ b: Double) -> Double {
  if b == -.infinity { return a }
  let d = b - a  // ≤ 0
  if d > 0 { return .nan }
  if d == 0 { return -.infinity }
  if d > -Double.log(2.0) { return a + Double.log(-Double.expMinusOne(d)) }
  return a + Double.log(onePlus: -Double.exp(d))
}

/// The logistic function σ(v) = 1 / (1 + e⁻ᵛ), evaluated on the side that cannot overflow:
/// e^v / (1 + e^v) for v < 0.
/// - Source: the standard stable form (e.g. Blanchard, Higham & Higham 2021, section 2, on the
///   softmax of two terms, of which σ is the special case).
@inlinable
public func logistic(_ v: Double) -> Double {
  if v >= 0 { return 1 / (1 + Double.exp(-v)) }
  let e = Double.exp(v)
  return e / (1 + e)
}
