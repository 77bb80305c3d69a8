import RealModule

/// The project's one seeded generator: SplitMix64, small and fast, so that simulations, the
/// cross-validation folds of churn-logit, benchmarks and tests draw the same numbers on every
/// platform (Swift's `SystemRandomNumberGenerator` is neither seedable nor portable).
///
/// - Source: [SLF2014] Steele, Lea & Flood (2014), "Fast splittable pseudorandom number
///   generators", OOPSLA; constants of Vigna's `splitmix64.c`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform on the open interval (0, 1) (53 random bits, never 0).
  public mutating func uniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// Standard normal (Box–Muller, one value per call).
  public mutating func normal() -> Double {
    let u = uniform(), v = uniform()
    return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * Double.pi * v)
  }

  /// Exponential with the given rate.
  public mutating func exponential(rate: Double) -> Double { -Double.log(uniform()) / rate }

  /// Gamma(shape, rate) (Marsaglia & Tsang 2000; shape < 1 by the boost U^(1/shape)).
  public mutating func gamma(shape: Double, rate: Double) -> Double {
    if shape < 1 {
      let boost = Double.pow(uniform(), 1 / shape)
      return gamma(shape: shape + 1, rate: rate) * boost
    }
    let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
      var x = 0.0, v = 0.0
      repeat {
        x = normal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = uniform()
      if u < 1 - 0.0331 * x * x * x * x || Double.log(u) < 0.5 * x * x + d * (1 - v + Double.log(v))
      {
        return d * v / rate
      }
    }
  }

  /// Beta(a, b) as G₁/(G₁ + G₂).
  public mutating func beta(_ a: Double, _ b: Double) -> Double {
    let x = gamma(shape: a, rate: 1), y = gamma(shape: b, rate: 1)
    return x / (x + y)
  }
}
