/// The correctly rounded double nearest to `significand` · 10^`scale`, for significands of 16–19
/// digits (beyond Clinger's fast path) and |scale| ≤ 22; nil when the result cannot be
/// certified this way (the caller then uses `strtod`).
///
/// The significand is split exactly into two doubles, w = h + l (h = w rounded, |l| ≤ 2¹⁰),
/// and p = 10^|scale| is exact. For a division, q₁ = h/p rounded and its remainder
/// r = h − q₁p exactly (one fused multiply-add), so that
///
///     w/p = q₁ + (r + l)/p = q₁ + q₂ + ε,   |ε| ≤ 2⁻⁵¹ |q₂|
///
/// (likewise w·p = h·p + l·p with the product's error h·p − fl(h·p) exact by FMA). The sum
/// s = fl(q₁ + q₂) and its exact error e = q₂ − (s − q₁) (Fast2Sum, |q₁| ≥ |q₂|) show how far
/// q₁ + q₂ is from s. s is the correctly rounded w/p unless q₁ + q₂ lies within |ε| of a
/// midpoint between doubles, i.e. unless | |e| − ulp(s)/2 | is tiny: then, and for exact
/// midpoints, nil. |ε| is below ulp(s)·2⁻⁴⁹, so the guard 2⁻³⁰·ulp(s) is safe by a wide margin.
///
/// - Source: error-free transformations: T. J. Dekker (1971), "A floating-point technique for
///   extending the available precision", Numer. Math. 18, 224–242 (Fast2Sum); the exact FMA
///   remainder of a division and of a product: J.-M. Muller et al., *Handbook of
///   Floating-Point Arithmetic*, 2nd ed. (2018), sections 4.2–4.4. The fallback keeps every
///   result correctly rounded (`DecimalParsingConsistencyTests` compares with `strtod`).
func doubleDoubleDecimal(significand: UInt64, scale: Int) -> Double? {
  guard abs(scale) <= 22 else { return nil }
  let hi = Double(significand)  // rounded to nearest; < 2⁶⁴
  // l = w − h is exact: |w − h| ≤ 2¹⁰.
  let rounded = UInt64(hi)
  let lo =
    significand >= rounded ? Double(significand - rounded) : -Double(rounded - significand)
  let p = powersOfTenForDoubleDouble[abs(scale)]
  let q1: Double
  let q2: Double
  if scale < 0 {
    q1 = hi / p
    let remainder = hi.addingProduct(-q1, p)  // h − q₁p, exact (FMA)
    q2 = (remainder + lo) / p
  } else {
    q1 = hi * p
    let error = (-q1).addingProduct(hi, p)  // h·p − q₁, exact (FMA)
    q2 = error + lo * p
  }
  let s = q1 + q2
  guard s.isNormal || s == 0 else { return nil }
  let e = q2 - (s - q1)
  let halfUlp = s.ulp / 2
  if abs(abs(e) - halfUlp) <= s.ulp * 0x1p-30 { return nil }
  return s
}

private let powersOfTenForDoubleDouble: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
