/// A "nice" number: `mantissa · 10^exponent` with `mantissa` in {1, 2, 5}.
public struct NiceNumber: Sendable, Equatable {
  public var mantissa: Int
  public var exponent: Int

  /// The nice number closest to `x` (`round`) or the smallest one not below `x`.
  ///
  ///     f = x / 10^⌊log₁₀ x⌋
  ///     round:   f < 1.5 → 1,  f < 3 → 2,  f < 7 → 5,  else 10
  ///     ceiling: f ≤ 1 → 1,    f ≤ 2 → 2,  f ≤ 5 → 5,  else 10
  ///
  /// - Source: [Heckbert1990] `nicenum`.
  /// - Precondition: `x` is finite and positive.
  public init(_ x: Double, round: Bool) {
    precondition(x.isFinite && x > 0, "nice number of a non-positive or non-finite value")
    var exponent = Int(log10(x).rounded(.down))
    // Divide by an exact power of ten (or multiply, for negative exponents) so that decimal
    // inputs such as 0.15 give the fraction 1.5 and not 1.4999….
    var fraction = exponent >= 0 ? x / power10(exponent) : x * power10(-exponent)
    // log10 can be off by one ulp near powers of ten.
    if fraction >= 10 {
      exponent += 1
      fraction /= 10
    } else if fraction < 1 {
      exponent -= 1
      fraction *= 10
    }
    let mantissa: Int
    if round {
      mantissa = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    } else {
      mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    }
    if mantissa == 10 {
      self.mantissa = 1
      self.exponent = exponent + 1
    } else {
      self.mantissa = mantissa
      self.exponent = exponent
    }
  }

  /// `k · mantissa · 10^exponent`, computed so that decimal steps come out exactly as their
  /// literals (0.006 is `6 / 1000`, not `3 · 0.002`).
  public func multiple(_ k: Int) -> Double {
    let integer = Double(k * mantissa)
    return exponent >= 0 ? integer * power10(exponent) : integer / power10(-exponent)
  }

  public var value: Double { multiple(1) }
}

/// 10^n for integer n, exact for |n| ≤ 22.
func power10(_ n: Int) -> Double {
  var result = 1.0
  for _ in 0..<abs(n) { result *= 10 }
  return n >= 0 ? result : 1 / result
}

/// Axis ticks at nice numbers that enclose a data range ("loose labeling").
///
///     range = nicenum(max − min, ceiling)
///     step  = nicenum(range / (count − 1), round)
///     ticks = ⌊min / step⌋·step, …, ⌈max / step⌉·step
///     decimals = max(−⌊log₁₀ step⌋, 0)
///
/// A zero-width range [v, v] (or one narrower than 10⁻¹² of its magnitude) is widened to
/// [v − |v|/10, v + |v|/10] (or [0, 1] for v = 0), and a non-finite bound or width, or one
/// whose nice range or step is not a positive double (near 10³⁰⁸ or subnormal), makes the
/// range [0, 1], so that every axis has at least two distinct ticks.
///
/// - Source: [Heckbert1990] `loose_label`.
public struct NiceTicks: Sendable, Equatable {
  /// The tick values, increasing; the first is ≤ the data minimum and the last ≥ the maximum.
  public let values: [Double]
  /// The distance between ticks.
  public let step: NiceNumber
  /// Decimals needed to show every tick exactly.
  public let fractionDigits: Int

  /// The enclosing domain: first tick … last tick.
  public var domain: ClosedRange<Double> { values[0]...values[values.count - 1] }

  /// - Parameters:
  ///   - lower, upper: the data range (either order).
  ///   - count: the desired number of ticks (Heckbert uses 5); the result has about that many.
  public init(_ lower: Double, _ upper: Double, count: Int = 5) {
    var low = Swift.min(lower, upper)
    var high = Swift.max(lower, upper)
    if !low.isFinite || !high.isFinite || !(high - low).isFinite {
      low = 0
      high = 1
    } else if high - low <= max(abs(low), abs(high)) * 1e-12 {
      // Zero width, or too narrow to label at double precision.
      let middle = low / 2 + high / 2
      let pad = abs(middle) / 10
      (low, high) = middle == 0 ? (0, 1) : (middle - pad, middle + pad)
    }
    // A width whose nice range or step overflows or underflows a double (e.g. 1.5e308 → 2e308,
    // or a subnormal width) is drawn on [0, 1].
    var range = NiceNumber(high - low, round: false).value
    var step = NiceNumber(1, round: true)
    if range.isFinite, range > 0 {
      let width = range / Double(Swift.max(count - 1, 1))
      if width.isFinite, width > 0 { step = NiceNumber(width, round: true) }
    }
    if !(range.isFinite && step.value > 0 && step.value.isFinite
      && (high / step.value).magnitude < 1e15 && (low / step.value).magnitude < 1e15)
    {
      (low, high) = (0, 1)
      range = 1
      step = NiceNumber(0.2, round: true)
    }
    let size = step.value
    let first = Int((low / size + 1e-9).rounded(.down))
    let last = Int((high / size - 1e-9).rounded(.up))
    var values = (first...Swift.max(last, first + 1)).map { step.multiple($0) }
    // Avoid "-0" labels.
    values = values.map { $0 == 0 ? 0 : $0 }
    self.values = values
    self.step = step
    self.fractionDigits = Swift.max(-step.exponent, 0)
  }

  /// The tick labels, with `fractionDigits` decimals and thousands separators.
  public var labels: [String] {
    values.map { NumberFormat.fixed($0, fractionDigits: fractionDigits) }
  }
}

/// A linear map from a data domain to a pixel range: `y = r₀ + (x − d₀)·(r₁ − r₀)/(d₁ − d₀)`.
public struct LinearScale: Sendable, Equatable {
  public var domain: ClosedRange<Double>
  /// Pixel positions of the domain's lower and upper bound (for a y axis, start > end).
  public var rangeStart: Double
  public var rangeEnd: Double

  public init(domain: ClosedRange<Double>, range: (Double, Double)) {
    self.domain = domain
    self.rangeStart = range.0
    self.rangeEnd = range.1
  }

  /// The pixel position of `x`; the middle of the range for a zero-width domain.
  public func callAsFunction(_ x: Double) -> Double {
    let width = domain.upperBound - domain.lowerBound
    guard width > 0 else { return (rangeStart + rangeEnd) / 2 }
    return rangeStart + (x - domain.lowerBound) * (rangeEnd - rangeStart) / width
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
