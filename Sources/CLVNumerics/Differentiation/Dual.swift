// Forward-mode automatic differentiation: dual numbers and the scalar protocol that lets one
// generic implementation compute a value (Double) or a value with its gradient (Dual).

/// A real number type that numerical code can be written against once and evaluated either on
/// plain `Double`s or on ``Dual`` numbers, which carry exact derivatives along.
///
/// Control flow (series stopping rules, branch choices, step sizes) looks at ``value`` only, so
/// the `Double` and `Dual` evaluations take the same branches and the value parts are
/// bit-identical.
public protocol DifferentiableReal {
  /// A constant: derivative zero.
  init(constant: Double)
  /// The value (for a dual number, without its derivatives).
  var value: Double { get }
  static func + (lhs: Self, rhs: Self) -> Self
  static func - (lhs: Self, rhs: Self) -> Self
  static func * (lhs: Self, rhs: Self) -> Self
  static func / (lhs: Self, rhs: Self) -> Self
  static prefix func - (operand: Self) -> Self
  static func + (lhs: Self, rhs: Double) -> Self
  static func * (lhs: Self, rhs: Double) -> Self
  static func / (lhs: Self, rhs: Double) -> Self
  static func log(_ x: Self) -> Self
  static func log(onePlus x: Self) -> Self
  static func exp(_ x: Self) -> Self
  static func expMinusOne(_ x: Self) -> Self
  static func logGamma(_ x: Self) -> Self
}

extension Double: DifferentiableReal {
  @inlinable public init(constant: Double) { self = constant }
  @inlinable public var value: Double { self }
}

/// A dual number v + Σᵢ dᵢ εᵢ with εᵢ εⱼ = 0: a value and its partial derivatives with respect to
/// `Partials.scalarCount` inputs, propagated exactly by the chain rule through every operation
/// (forward-mode automatic differentiation).
///
///     (u + u′ε)(v + v′ε) = uv + (u′v + uv′)ε,    f(v + v′ε) = f(v) + f′(v) v′ ε
///
/// Seed the inputs with ``init(_:seed:)``: input i gets the unit vector eᵢ as its partials;
/// the partials of any result are then its gradient with respect to those inputs. Generic over
/// the scalar and the number of partials (`Dual<SIMD4<Double>>`: a value and a 4-gradient).
///
/// - Source: [GW2008] Griewank & Walther, *Evaluating Derivatives*, 2nd ed., chapter 3
///   (forward mode; vector mode with several tangent directions at once, section 3.1).
@frozen
public struct Dual<Partials: SIMD>
where Partials.Scalar: Real & BinaryFloatingPoint {
  public typealias Scalar = Partials.Scalar
  /// The value.
  public var value: Scalar
  /// ∂ value / ∂ input i.
  public var partials: Partials

  @inlinable
  public init(value: Scalar, partials: Partials) {
    self.value = value
    self.partials = partials
  }

  /// Input number `seed` of the differentiation: the partials are the unit vector e_seed.
  @inlinable
  public init(_ value: Scalar, seed: Int) {
    self.value = value
    var partials = Partials()
    partials[seed] = 1
    self.partials = partials
  }

  /// A constant (all partials zero).
  @inlinable
  public init(_ value: Scalar) {
    self.value = value
    self.partials = Partials()
  }

  @inlinable public static func + (lhs: Self, rhs: Self) -> Self {
    Self(value: lhs.value + rhs.value, partials: lhs.partials + rhs.partials)
  }
  @inlinable public static func - (lhs: Self, rhs: Self) -> Self {
    Self(value: lhs.value - rhs.value, partials: lhs.partials - rhs.partials)
  }
  @inlinable public static func * (lhs: Self, rhs: Self) -> Self {
    Self(
      value: lhs.value * rhs.value, partials: lhs.partials * rhs.value + rhs.partials * lhs.value)
  }
  /// (u/v)′ = (u′ − (u/v) v′)/v.
  @inlinable public static func / (lhs: Self, rhs: Self) -> Self {
    let q = lhs.value / rhs.value
    return Self(value: q, partials: (lhs.partials - rhs.partials * q) / rhs.value)
  }
  @inlinable public static prefix func - (operand: Self) -> Self {
    Self(value: -operand.value, partials: -operand.partials)
  }
  @inlinable public static func + (lhs: Self, rhs: Scalar) -> Self {
    Self(value: lhs.value + rhs, partials: lhs.partials)
  }
  @inlinable public static func - (lhs: Self, rhs: Scalar) -> Self {
    Self(value: lhs.value - rhs, partials: lhs.partials)
  }
  @inlinable public static func * (lhs: Self, rhs: Scalar) -> Self {
    Self(value: lhs.value * rhs, partials: lhs.partials * rhs)
  }
  @inlinable public static func / (lhs: Self, rhs: Scalar) -> Self {
    Self(value: lhs.value / rhs, partials: lhs.partials / rhs)
  }
  @inlinable public static func + (lhs: Scalar, rhs: Self) -> Self { rhs + lhs }
  @inlinable public static func - (lhs: Scalar, rhs: Self) -> Self {
    Self(value: lhs - rhs.value, partials: -rhs.partials)
  }
  @inlinable public static func * (lhs: Scalar, rhs: Self) -> Self { rhs * lhs }
  @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
  @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
  @inlinable public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }
  @inlinable public static func *= (lhs: inout Self, rhs: Scalar) { lhs = lhs * rhs }
  @inlinable public static func /= (lhs: inout Self, rhs: Scalar) { lhs = lhs / rhs }

  /// f(v + v′ε) = f(v) + f′(v) v′ε.
  @inlinable
  public func applying(value f: Scalar, derivative: Scalar) -> Self {
    Self(value: f, partials: partials * derivative)
  }

  /// (log v)′ = v′/v.
  @inlinable public static func log(_ x: Self) -> Self {
    x.applying(value: Scalar.log(x.value), derivative: 1 / x.value)
  }
  /// (log(1 + v))′ = v′/(1 + v).
  @inlinable public static func log(onePlus x: Self) -> Self {
    x.applying(value: Scalar.log(onePlus: x.value), derivative: 1 / (1 + x.value))
  }
  /// (eᵛ)′ = eᵛ v′.
  @inlinable public static func exp(_ x: Self) -> Self {
    let e = Scalar.exp(x.value)
    return x.applying(value: e, derivative: e)
  }
  /// (eᵛ − 1)′ = eᵛ v′.
  @inlinable public static func expMinusOne(_ x: Self) -> Self {
    x.applying(value: Scalar.expMinusOne(x.value), derivative: Scalar.exp(x.value))
  }
}

extension Dual: Sendable where Partials: Sendable, Scalar: Sendable {}

extension Dual: DifferentiableReal where Scalar == Double {
  @inlinable public init(constant: Double) { self.init(constant) }
  /// (log Γ(v))′ = ψ(v) v′ (``digamma(_:)``).
  public static func logGamma(_ x: Self) -> Self {
    x.applying(value: Double.logGamma(x.value), derivative: digamma(x.value))
  }
}

/// log(eᵃ + eᵇ) for real or dual arguments (see ``logSumExp(_:_:)``; the same arithmetic on the
/// values).
@inlinable
public func logSumExp<T: DifferentiableReal>(_ a: T, _ b: T) -> T {
  if a.value == -.infinity { return b }
  if b.value == -.infinity { return a }
  let (high, low) = a.value >= b.value ? (a, b) : (b, a)
  if high.value == .infinity { return high }
  return high + T.log(onePlus: T.exp(low - high))
}

/// log(eᵃ − eᵇ) for a ≥ b, real or dual (see ``logDiffExp(_:_:)``; the same arithmetic on the
/// values).
@inlinable
public func logDiffExp<T: DifferentiableReal>(_ a: T, _ b: T) -> T {
  if b.value == -.infinity { return a }
  let d = b - a  // ≤ 0
  if d.value > 0 { return T(constant: .nan) }
  if d.value == 0 { return T(constant: -.infinity) }
  if d.value > -Double.log(2.0) { return a + T.log(-T.expMinusOne(d)) }
  return a + T.log(onePlus: -T.exp(d))
}
