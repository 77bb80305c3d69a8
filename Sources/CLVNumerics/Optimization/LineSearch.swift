/// A line search for the strong Wolfe conditions along a descent direction `d` from `x`:
///
///     φ(α) = f(x + α d)
///     φ(α) ≤ φ(0) + c₁ α φ′(0)          (sufficient decrease, Armijo)
///     |φ′(α)| ≤ c₂ |φ′(0)|                (curvature, strong form)
///
/// with `c₁ = 10⁻⁴` and `c₂ = 0.9`, the values recommended for quasi-Newton methods.
///
/// - Source: [NW2006] Algorithm 3.5 (bracketing) and Algorithm 3.6 (zoom), with the cubic
///   interpolation of eq. (3.59), safeguarded to the middle 80 % of the bracket.
///
/// Departures, for robustness on likelihoods that are `±∞`/NaN outside their domain: a trial
/// point whose value or gradient is not finite is treated like one that violates sufficient
/// decrease (it becomes the upper end of the bracket) and the next trial is taken at a quarter of
/// the bracket from its good end, so the search backtracks into the finite region. When the
/// evaluation budget runs out, the best point that satisfies sufficient decrease is accepted
/// (the quasi-Newton update is then skipped if the curvature `sᵀy` is not positive). Near the
/// optimum, differences of `f` drown in rounding (a log-likelihood summed over thousands of
/// customers is accurate to ~1e-13 relative) while the gradient still carries information, so the
/// sufficient-decrease test allows `φ(α) ≤ φ(0) + c₁αφ′(0) + ϵ_f` with `ϵ_f = 1e-10 · |φ(0)|`
/// (also when comparing with the best point of the bracket), in the spirit of the approximate
/// Wolfe conditions of [HZ2005] (`φ(α) ≤ φ(0) + ϵ|φ(0)|` with the curvature condition; there
/// `ϵ = 1e-6`).
/// The curvature condition is never relaxed.
///
/// The buffers are allocated once per minimization and reused, so a search allocates nothing.
struct StrongWolfeLineSearch {
  static let c1 = 1e-4
  static let c2 = 0.9
  /// Upper bound on evaluations per search.
  static let maxEvaluations = 40
  /// ϵ_f / |φ(0)|: rounding allowance in the sufficient-decrease test.
  static let relativeAllowance = 1e-10
  /// Largest step tried while bracketing.
  static let maxStep = 1e10

  /// The trial point and its gradient; after `.accepted` they hold the accepted point.
  var xTrial: [Double]
  var gTrial: [Double]
  /// The best point so far that satisfies sufficient decrease (`αₗₒ` of Algorithm 3.6).
  private var xLow: [Double]
  private var gLow: [Double]

  enum Outcome {
    /// Step found; the point is in `xTrial`, `gTrial`.
    case accepted(step: Double, value: Double)
    /// No point with sufficient decrease within the budget.
    case failed
  }

  init(dimension n: Int) {
    xTrial = [Double](repeating: 0, count: n)
    gTrial = [Double](repeating: 0, count: n)
    xLow = xTrial
    gLow = gTrial
  }

  /// Searches along `d` from `x` (value `f0`, directional derivative `slope0 < 0`), starting
  /// with step `initialStep`. Adds the evaluations it makes to `evaluations` and stops when that
  /// reaches `maxEvaluations`.
  ///
  /// - Throws: ``OptimizationError/invalidArgument(_:)`` when the objective changes the length
  ///   of its gradient.
  mutating func search(
    x: [Double], f0: Double, d: [Double], slope0: Double, initialStep: Double,
    evaluations: inout Int, maxEvaluations: Int,
    objective: (_ x: [Double], _ gradient: inout [Double]) -> Double
  ) throws -> Outcome {
    let n = x.count
    let budget = Swift.min(evaluations + Self.maxEvaluations, maxEvaluations)
    let armijoSlope = Self.c1 * slope0
    let allowance = Self.relativeAllowance * Swift.abs(f0)
    let curvatureBound = -Self.c2 * slope0

    // φ and φ′ at step α; non-finite values are reported as nil.
    func evaluate(_ alpha: Double) throws -> (value: Double, slope: Double)? {
      for i in 0..<n { xTrial[i] = x[i] + alpha * d[i] }
      let value = objective(xTrial, &gTrial)
      evaluations += 1
      guard gTrial.count == n else {
        throw OptimizationError.invalidArgument(
          "objective set a gradient of length \(gTrial.count), expected \(n)")
      }
      guard value.isFinite else { return nil }
      var slope = 0.0
      for i in 0..<n { slope += gTrial[i] * d[i] }
      guard slope.isFinite else { return nil }
      return (value, slope)
    }

    // Low end of the bracket: the best point with sufficient decrease (α = 0: the start).
    var alphaLow = 0.0
    var valueLow = f0
    var slopeLow = slope0
    // High end: (α, φ, φ′); φ = nil when not finite.
    var alphaHigh = 0.0
    var valueHigh: Double? = nil
    var slopeHigh = 0.0

    func keepTrialAsLow(_ alpha: Double, _ value: Double, _ slope: Double) {
      swap(&xTrial, &xLow)
      swap(&gTrial, &gLow)
      alphaLow = alpha
      valueLow = value
      slopeLow = slope
    }

    func acceptLow() -> Outcome {
      guard alphaLow > 0 else { return .failed }
      swap(&xTrial, &xLow)
      swap(&gTrial, &gLow)
      return .accepted(step: alphaLow, value: valueLow)
    }

    // Algorithm 3.5: bracketing.
    var alpha = initialStep
    var previousValue = f0
    var bracketed = false
    var first = true
    while !bracketed {
      guard evaluations < budget else { return acceptLow() }
      guard let trial = try evaluate(alpha) else {
        (alphaHigh, valueHigh, slopeHigh) = (alpha, nil, 0)
        bracketed = true
        break
      }
      if trial.value > f0 + alpha * armijoSlope + allowance
        || (!first && trial.value >= previousValue + allowance)
      {
        (alphaHigh, valueHigh, slopeHigh) = (alpha, trial.value, trial.slope)
        bracketed = true
        break
      }
      if Swift.abs(trial.slope) <= curvatureBound {
        return .accepted(step: alpha, value: trial.value)
      }
      if trial.slope >= 0 {
        // The minimum lies between the previous low point and this one: zoom(α, αₗₒ).
        (alphaHigh, valueHigh, slopeHigh) = (alphaLow, valueLow, slopeLow)
        keepTrialAsLow(alpha, trial.value, trial.slope)
        bracketed = true
        break
      }
      keepTrialAsLow(alpha, trial.value, trial.slope)
      previousValue = trial.value
      first = false
      guard alpha < Self.maxStep else { return acceptLow() }
      alpha = Swift.min(2 * alpha, Self.maxStep)
    }

    // Algorithm 3.6: zoom. Invariants: αₗₒ satisfies sufficient decrease with the lowest value
    // so far, and φ′(αₗₒ)(αₕᵢ − αₗₒ) < 0.
    while evaluations < budget {
      let width = alphaHigh - alphaLow
      if Swift.abs(width) <= 4 * Double.ulpOfOne
        * Swift.max(Swift.abs(alphaLow), Swift.abs(alphaHigh))
      {
        break
      }
      var next: Double
      if let valueHigh {
        next = Self.cubicMinimizer(
          alphaLow, valueLow, slopeLow, alphaHigh, valueHigh, slopeHigh)
        let lower = Swift.min(alphaLow, alphaHigh) + 0.1 * Swift.abs(width)
        let upper = Swift.max(alphaLow, alphaHigh) - 0.1 * Swift.abs(width)
        if !next.isFinite { next = alphaLow + 0.5 * width }
        next = Swift.min(Swift.max(next, lower), upper)
      } else {
        next = alphaLow + 0.25 * width  // backtrack out of the non-finite region
      }
      guard let trial = try evaluate(next) else {
        (alphaHigh, valueHigh, slopeHigh) = (next, nil, 0)
        continue
      }
      if trial.value > f0 + next * armijoSlope + allowance || trial.value > valueLow + allowance {
        (alphaHigh, valueHigh, slopeHigh) = (next, trial.value, trial.slope)
        continue
      }
      if Swift.abs(trial.slope) <= curvatureBound {
        return .accepted(step: next, value: trial.value)
      }
      if trial.slope * (alphaHigh - alphaLow) >= 0 {
        (alphaHigh, valueHigh, slopeHigh) = (alphaLow, valueLow, slopeLow)
      }
      keepTrialAsLow(next, trial.value, trial.slope)
    }
    return acceptLow()
  }

  /// The minimizer of the cubic interpolating φ and φ′ at `a` and `b` ([NW2006] eq. 3.59);
  /// NaN when the cubic has no minimizer.
  static func cubicMinimizer(
    _ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double
  ) -> Double {
    let d1 = da + db - 3 * (fa - fb) / (a - b)
    let radicand = d1 * d1 - da * db
    guard radicand >= 0 else { return .nan }
    let d2 = (b - a).sign == .minus ? -radicand.squareRoot() : radicand.squareRoot()
    return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2)
  }
}
