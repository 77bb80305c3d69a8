import CLVData
import CLVNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time used by the calling thread, in seconds (for timings on a shared machine, where
/// wall-clock time includes waiting for a core).
public func threadCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

// MARK: - Options

/// How to fit a model by maximum likelihood. Every field has a default.
public struct FitOptions: Sendable {
  /// L2 penalizer coefficient c, with the meaning of lifetimes' `penalizer_coef`: the fit
  /// minimizes `−log L / N + c · Σᵢ (sᵢ θᵢ)²`, N the number of customers and sᵢ the time
  /// scale lifetimes applies to the parameter (1 / max T for α (and β) of the
  /// purchase-count models, 1 otherwise). 0 = plain maximum likelihood.
  ///
  /// - Source: lifetimes 0.11.3, `BetaGeoFitter._negative_log_likelihood` (and the other
  ///   fitters), with `_scale_time(T) = 1 / max(T)`.
  public var penalizer: Double = 0
  /// Keep a fit that did not converge, whose Hessian is not positive definite, or whose
  /// parameters ran to the edge of the log scale; it is flagged `FitReport.degenerate`.
  public var allowDegenerate = false
  /// Optimizer settings for L-BFGS (and the Nelder–Mead fallback).
  public var optimization = OptimizationOptions()
  /// Starting points in the natural parameters; nil = the model's own deterministic starts.
  public var starts: [[Double]]? = nil
  /// Wall-clock seconds the whole fit (every start) may take; nil = no limit. A fit that
  /// reaches it stops with ``ModelError/budgetExhausted(model:seconds:evaluations:best:)``.
  public var timeLimit: Double? = 600
  /// Likelihood evaluations the whole fit (every start) may take (each computes the value and
  /// the gradient); reaching it also stops the fit with ``ModelError/budgetExhausted``.
  public var maxEvaluations = 100_000
  /// Called (on the fitting thread) when the fit has run for 2 s, then every 5 s, with the
  /// elapsed time and the best point so far: for a progress line on a terminal.
  public var progress: (@Sendable (FitProgress) -> Void)? = nil

  public init(
    penalizer: Double = 0, allowDegenerate: Bool = false,
    optimization: OptimizationOptions = OptimizationOptions(), starts: [[Double]]? = nil,
    timeLimit: Double? = 600, maxEvaluations: Int = 100_000,
    progress: (@Sendable (FitProgress) -> Void)? = nil
  ) {
    self.penalizer = penalizer
    self.allowDegenerate = allowDegenerate
    self.optimization = optimization
    self.starts = starts
    self.timeLimit = timeLimit
    self.maxEvaluations = maxEvaluations
    self.progress = progress
  }
}

/// Where a running fit stands (``FitOptions/progress``).
public struct FitProgress: Sendable {
  public var model: String
  /// Wall-clock seconds since the fit started.
  public var seconds: Double
  /// Likelihood evaluations so far.
  public var evaluations: Int
  /// The best log-likelihood so far (less N times the penalty when there is a penalizer), with
  /// its parameters (names and values); nil before the first finite one.
  public var bestLogLikelihood: Double?
  public var parameters: [(name: String, value: Double)]

  /// One line: `Pareto/NBD: fitting for 4 s, 212 likelihood evaluations, best log-likelihood
  /// -1234.5 at r = 1.2, alpha = 3.4, …`.
  public var description: String {
    var text = "\(model): fitting for \(Int(seconds.rounded())) s, \(evaluations) likelihood "
    text += "evaluations"
    if let bestLogLikelihood {
      text += ", best log-likelihood \(shortNumber(bestLogLikelihood)) at "
      text += parameters.map { "\($0.name) = \(shortNumber($0.value))" }.joined(separator: ", ")
    }
    return text
  }
}

/// A number with 6 significant digits (%g), for messages.
func shortNumber(_ x: Double) -> String {
  x.isFinite ? String(format: "%.6g", x) : x.description
}

/// Counts a fit's likelihood evaluations against its budget (``FitOptions/timeLimit``,
/// ``FitOptions/maxEvaluations``), remembers the best point and reports progress.
final class FitMonitor {
  let model: String
  let names: [String]
  let timeLimit: Double?
  let maxEvaluations: Int
  let progress: (@Sendable (FitProgress) -> Void)?
  let customers: Double
  let clock = ContinuousClock()
  let started: ContinuousClock.Instant
  private(set) var evaluations = 0
  private(set) var exhausted = false
  private(set) var best: (objective: Double, phi: [Double])?
  private var nextProgress = 2.0

  init(model: String, names: [String], customers: Double, options: FitOptions) {
    self.model = model
    self.customers = customers
    self.names = names
    self.timeLimit = options.timeLimit
    self.maxEvaluations = options.maxEvaluations
    self.progress = options.progress
    self.started = clock.now
  }

  var seconds: Double {
    let elapsed = clock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// Records one evaluation of the objective at φ; marks the budget exhausted when it is.
  func record(_ phi: [Double], objective: Double) {
    evaluations += 1
    if objective.isFinite, best == nil || objective < best!.objective {
      best = (objective, phi)
    }
    if evaluations >= maxEvaluations { exhausted = true }
    let elapsed = seconds
    if let timeLimit, elapsed >= timeLimit { exhausted = true }
    if let progress, elapsed >= nextProgress {
      nextProgress = elapsed + 5
      progress(state(elapsed))
    }
  }

  /// The best point so far as a progress value.
  func state(_ elapsed: Double) -> FitProgress {
    FitProgress(
      model: model, seconds: elapsed, evaluations: evaluations,
      bestLogLikelihood: best.map { -$0.objective * customers },
      parameters: best.map { zip(names, $0.phi.map { Double.exp($0) }).map { ($0, $1) } } ?? [])
  }
}

// MARK: - Collapsed data

/// Customers' (x, tₓ, T) histories collapsed to distinct rows with weights, so that the cost of
/// a likelihood evaluation scales with the number of distinct rows, not customers.
///
/// Distinct values of x, tₓ and T are kept in their own tables and each row stores indices into
/// them: models evaluate `logGamma(r + x)` once per distinct x, `log(α + T)` once per distinct
/// T, and so on.
public struct CollapsedRFM: Sendable {
  /// Distinct frequencies x.
  public private(set) var frequencies: [Int] = []
  /// Distinct recencies tₓ.
  public private(set) var recencies: [Double] = []
  /// Distinct ages T.
  public private(set) var ages: [Double] = []
  /// Per distinct row: index into `frequencies`, `recencies`, `ages`.
  public private(set) var frequencyIndex: [Int32] = []
  public private(set) var recencyIndex: [Int32] = []
  public private(set) var ageIndex: [Int32] = []
  /// Per distinct row: number of customers (or the given weight) sharing it.
  public private(set) var weights: [Double] = []
  /// Σ weights: the number of customers N.
  public private(set) var customers: Double = 0
  /// Σ weights of the customers with (x, tₓ, T) = (0, 0, 0), left out: their likelihood is 1
  /// (see `CollapsedRFM+ZeroAge.swift`). Not part of `customers`.
  public private(set) var zeroAgeCustomers: Double = 0

  /// Number of distinct rows.
  public var count: Int { weights.count }
  /// The largest age T (lifetimes' time scale is 1 / max T).
  public var maxAge: Double { ages.max() ?? 1 }

  /// Collapses `rows`, checking each: x ≥ 0, 0 ≤ tₓ ≤ T, T > 0, tₓ = 0 when x = 0, all finite.
  /// Rows (0, 0, 0) (T = 0) are left out and counted in `zeroAgeCustomers`.
  ///
  /// Distinct rows, and distinct x, tₓ and T, are numbered in order of first appearance.
  ///
  /// - Parameters:
  ///   - weights: one non-negative weight per row (e.g. the donations data's counts); nil = 1.
  ///   - model: the model name for error messages.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` naming the first bad customer, when
  ///   there are no rows, or when nobody made a repeat purchase (the purchase models cannot be
  ///   identified).
  /// - Complexity: O(n) expected: each row is looked up in three small open-addressing tables
  ///   (x, tₓ, T) and one table of the index triples, none allocating per row.
  public init(
    _ rows: [RFMSummary.Row], weights: [Double]? = nil, model: String,
    requireRecencyZeroWhenNoRepeat: Bool = true
  ) throws {
    if let weights, weights.count != rows.count {
      throw ModelError.unusableData(
        model: model, reason: "\(weights.count) weights for \(rows.count) customers")
    }
    guard !rows.isEmpty else {
      throw ModelError.unusableData(model: model, reason: "no customers to fit")
    }
    var rowOf = IndexTable<TripleKey>(expected: rows.count / 2)
    var xOf = IndexTable<UInt64>(expected: 64)
    var tOf = IndexTable<UInt64>(expected: 1024)
    var aOf = IndexTable<UInt64>(expected: 1024)
    // Fields are read through the buffer, so no row (and its customer ID) is copied unless it
    // is reported in an error. Rows go in blocks: first their keys, then a read of each key's
    // slot in the large table (the cache misses overlap), then the insertions in row order.
    let block = 16
    var keys = [TripleKey](repeating: .filler, count: block)
    var keyWeights = [Double](repeating: 0, count: block)
    var sink: Int32 = 0
    try rows.withUnsafeBufferPointer { rows in
      var start = 0
      while start < rows.count {
        let end = Swift.min(rows.count, start + block)
        var pending = 0
        for i in start..<end {
          let w = weights?[i] ?? 1
          guard w.isFinite, w >= 0 else {
            throw ModelError.unusableData(
              model: model, reason: "customer '\(rows[i].customerID)': weight \(w) is not a count")
          }
          if w == 0 { continue }
          let x = rows[i].frequency
          // +0.0 and -0.0 are one key.
          let recency = rows[i].recency + 0, age = rows[i].age + 0
          if Self.isZeroAge(frequency: x, recency: recency, age: age) {
            zeroAgeCustomers += w
            continue
          }
          if !Self.isValid(
            frequency: x, recency: recency, age: age,
            requireRecencyZero: requireRecencyZeroWhenNoRepeat)
          {
            try Self.validate(
              rows[i], model: model, requireRecencyZero: requireRecencyZeroWhenNoRepeat)
          }
          let (xi, newX) = xOf.index(of: UInt64(bitPattern: Int64(x)))
          if newX { frequencies.append(x) }
          let (ti, newT) = tOf.index(of: recency.bitPattern)
          if newT { recencies.append(recency) }
          let (ai, newA) = aOf.index(of: age.bitPattern)
          if newA { ages.append(age) }
          keys[pending] = TripleKey(first: UInt32(xi), second: UInt32(ti), third: UInt32(ai))
          keyWeights[pending] = w
          pending += 1
        }
        for j in 0..<pending { sink ^= rowOf.touch(keys[j]) }
        for j in 0..<pending {
          let key = keys[j], w = keyWeights[j]
          let (index, newRow) = rowOf.index(of: key)
          if newRow {
            frequencyIndex.append(Int32(bitPattern: key.first))
            recencyIndex.append(Int32(bitPattern: key.second))
            ageIndex.append(Int32(bitPattern: key.third))
            self.weights.append(w)
          } else {
            self.weights[Int(index)] += w
          }
          customers += w
        }
        start = end
      }
    }
    // Keep the reads of `touch` (their result is otherwise unused).
    if sink == Int32.min { frequencyIndex.reserveCapacity(frequencyIndex.count) }
    guard customers > 0 || zeroAgeCustomers > 0 else {
      throw ModelError.unusableData(model: model, reason: "no customers with positive weight")
    }
    try requireRepeatPurchases(model: model)
  }

  /// Every k-th distinct row (k = ⌈count / maximumRows⌉), weights scaled so that they still sum
  /// to `customers`: a deterministic subsample for screening starting values on large data;
  /// nil when there are at most `maximumRows` rows.
  public func subsample(maximumRows: Int) -> CollapsedRFM? {
    guard count > maximumRows, maximumRows > 0 else { return nil }
    let k = (count + maximumRows - 1) / maximumRows
    var copy = self
    copy.frequencyIndex = stride(from: 0, to: count, by: k).map { frequencyIndex[$0] }
    copy.recencyIndex = stride(from: 0, to: count, by: k).map { recencyIndex[$0] }
    copy.ageIndex = stride(from: 0, to: count, by: k).map { ageIndex[$0] }
    let picked = stride(from: 0, to: count, by: k).map { weights[$0] }
    let scale = customers / picked.reduce(0, +)
    copy.weights = picked.map { $0 * scale }
    return copy
  }

  /// Whether ``validate(_:model:requireRecencyZero:)`` accepts the row (the same conditions,
  /// without the row).
  @inline(__always)
  static func isValid(
    frequency: Int, recency: Double, age: Double, requireRecencyZero: Bool
  )
    -> Bool
  {
    frequency >= 0 && recency.isFinite && age.isFinite && age > 0 && recency >= 0
      && recency <= age && !(requireRecencyZero && frequency == 0 && recency != 0)
  }

  static func validate(_ row: RFMSummary.Row, model: String, requireRecencyZero: Bool) throws {
    let id = row.customerID
    guard row.frequency >= 0 else {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': frequency \(row.frequency) is negative")
    }
    guard row.recency.isFinite, row.age.isFinite, row.age > 0 else {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': T = \(row.age) must be positive and finite")
    }
    guard row.recency >= 0, row.recency <= row.age else {
      throw ModelError.unusableData(
        model: model,
        reason: "customer '\(id)': recency \(row.recency) is outside [0, T = \(row.age)]")
    }
    if requireRecencyZero, row.frequency == 0, row.recency != 0 {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': recency \(row.recency) with frequency 0")
    }
  }
}

// MARK: - The estimator

/// Maximum-likelihood estimation shared by the models: positive parameters on the log scale,
/// deterministic multi-start L-BFGS with analytic gradients (Nelder–Mead fallback), lifetimes'
/// L2 penalizer, Hessian standard errors and convergence/degeneracy checks.
public enum MaximumLikelihood {
  /// A likelihood to maximize over positive parameters θ.
  public struct Problem {
    public var modelName: String
    public var parameterNames: [String]
    /// N = Σ weights: the objective is scaled by 1/N (as lifetimes') so that tolerances do not
    /// depend on the size of the data.
    public var customers: Double
    public var distinctRows: Int
    /// sᵢ of the penalty c · Σ (sᵢ θᵢ)² (lifetimes' time scaling of α, β; else 1).
    public var penaltyScales: [Double]
    /// Total (weighted) log-likelihood at θ and, written into `gradient`, ∂ log L / ∂θ.
    /// May return a non-finite value for θ where the likelihood is not computable.
    public var logLikelihood: (_ theta: [Double], _ gradient: inout [Double]) -> Double
    /// Customers left out of the data before the fit (e.g. T = 0), reported in
    /// `FitReport.dropped`.
    public var dropped = 0

    public init(
      modelName: String, parameterNames: [String], customers: Double, distinctRows: Int,
      penaltyScales: [Double]? = nil,
      logLikelihood: @escaping (_ theta: [Double], _ gradient: inout [Double]) -> Double
    ) {
      self.modelName = modelName
      self.parameterNames = parameterNames
      self.customers = customers
      self.distinctRows = distinctRows
      self.penaltyScales = penaltyScales ?? Array(repeating: 1, count: parameterNames.count)
      self.logLikelihood = logLikelihood
    }
  }

  /// The estimate: natural parameters and the fit report.
  public struct Estimate: Sendable {
    public var parameters: [Double]
    public var report: FitReport
  }

  /// |log θ| beyond this is "at the edge of the parameter space" (θ < 1.5e-8 or > 6.6e7).
  static let logBoundary = 18.0

  /// The penalized objective in log-parameters φ = log θ and its gradient (chain rule):
  ///
  ///     f(φ) = −log L(θ) / N + c · Σᵢ (sᵢ θᵢ)²
  ///     ∂f/∂φᵢ = θᵢ · ( −(∂ log L/∂θᵢ) / N + 2 c sᵢ² θᵢ )
  ///
  /// - Source: lifetimes 0.11.3 `_negative_log_likelihood` (mean form, penalizer on exp(φ)).
  static func objective(
    _ problem: Problem, penalizer: Double, _ phi: [Double], _ gradient: inout [Double]
  ) -> Double {
    let k = phi.count
    var theta = [Double](repeating: 0, count: k)
    for i in 0..<k { theta[i] = Double.exp(phi[i]) }
    var g = [Double](repeating: 0, count: k)
    let ll = problem.logLikelihood(theta, &g)
    if gradient.count != k { gradient = [Double](repeating: 0, count: k) }
    guard ll.isFinite, theta.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      for i in 0..<k { gradient[i] = 0 }
      return .infinity
    }
    var penalty = 0.0
    for i in 0..<k {
      let s = problem.penaltyScales[i]
      penalty += (s * theta[i]) * (s * theta[i])
      gradient[i] = theta[i] * (-g[i] / problem.customers + 2 * penalizer * s * s * theta[i])
    }
    return -ll / problem.customers + penalizer * penalty
  }

  /// L-BFGS from each start (log-parameters), Nelder–Mead then L-BFGS again where L-BFGS
  /// stopped without converging; the best converged result (else the lowest objective).
  ///
  /// Once `monitor`'s budget is exhausted every further evaluation returns +∞ at once (the
  /// optimizers then stop quickly) and no further start is run.
  static func multiStart(
    _ problem: Problem, penalizer: Double, starts: [[Double]], options: OptimizationOptions,
    iterations: inout Int, evaluations: inout Int, monitor: FitMonitor
  ) -> OptimizationResult? {
    let k = problem.parameterNames.count
    let f: ([Double], inout [Double]) -> Double = { phi, g in
      if monitor.exhausted {
        g = [Double](repeating: 0, count: k)
        return .infinity
      }
      let value = objective(problem, penalizer: penalizer, phi, &g)
      monitor.record(phi, objective: value)
      return value
    }
    var best: OptimizationResult?
    for phi0 in starts {
      guard phi0.allSatisfy({ $0.isFinite }), !monitor.exhausted else { continue }
      var result: OptimizationResult
      do {
        result = try LBFGS.minimize(from: phi0, options: options, f)
      } catch {
        continue  // non-finite objective at this start: try the next one
      }
      iterations += result.iterations
      evaluations += result.functionEvaluations
      if !result.converged {
        if let simplex = try? NelderMead.minimize(
          from: result.x, initialStep: 0.1, options: options,
          { phi in
            var g = [Double](); return f(phi, &g)
          })
        {
          iterations += simplex.iterations
          evaluations += simplex.functionEvaluations
          if let polished = try? LBFGS.minimize(from: simplex.x, options: options, f) {
            iterations += polished.iterations
            evaluations += polished.functionEvaluations
            if polished.value <= result.value || polished.converged { result = polished }
          }
        }
      }
      if let current = best {
        if (result.converged && !current.converged)
          || (result.converged == current.converged && result.value < current.value)
        {
          best = result
        }
      } else {
        best = result
      }
    }
    return best
  }

  /// Fits `problem` from each of `starts` (natural parameters) and keeps the best.
  ///
  /// Each start runs L-BFGS on f(φ); when L-BFGS stops without converging, Nelder–Mead
  /// continues from its end point and L-BFGS polishes the result. The best objective wins.
  /// Standard errors are sqrt(diag(H⁻¹)) with H the Hessian of the penalized total objective
  /// −log L(θ) + N c Σ (sᵢθᵢ)² in the natural parameters (central differences of the analytic
  /// gradient; with c = 0 this is the observed information).
  ///
  /// - Throws: ``ModelError/didNotConverge(model:iterations:gradientNorm:)`` when no start
  ///   converged, ``ModelError/degenerateFit(model:reason:)`` when the Hessian is not positive
  ///   definite or a parameter ran to the edge of the log scale — unless
  ///   `options.allowDegenerate`, which returns the estimate flagged `degenerate`.
  ///   ``ModelError/nonFinite(model:quantity:)`` when no start has a finite likelihood.
  ///
  /// - Parameter screening: optionally, the same likelihood on a subsample of the rows (for
  ///   large data): the starts are run on it and only the best is polished on all rows.
  public static func fit(
    _ problem: Problem, starts: [[Double]], options: FitOptions, screening: Problem? = nil
  ) throws -> Estimate {
    let clock = ContinuousClock()
    let started = clock.now
    let startedCPU = threadCPUSeconds()
    let k = problem.parameterNames.count
    let penalizer = options.penalizer
    guard penalizer.isFinite, penalizer >= 0 else {
      throw ModelError.unusableData(
        model: problem.modelName, reason: "penalizer \(penalizer) must be ≥ 0")
    }
    var iterations = 0
    var evaluations = 0
    let monitor = FitMonitor(
      model: problem.modelName, names: problem.parameterNames, customers: problem.customers,
      options: options)
    let startList = options.starts ?? starts
    for start in startList {
      precondition(start.count == k, "start of the wrong length")
    }
    var best: OptimizationResult?
    if let screening, options.starts == nil {
      // Multi-start on the screening subsample, then one polishing run on all rows from the
      // best screening estimate; if that polish does not converge, all starts on all rows.
      if let screened = multiStart(
        screening, penalizer: penalizer, starts: startList.map { $0.map { Double.log($0) } },
        options: options.optimization, iterations: &iterations, evaluations: &evaluations,
        monitor: monitor)
      {
        best = multiStart(
          problem, penalizer: penalizer, starts: [screened.x], options: options.optimization,
          iterations: &iterations, evaluations: &evaluations, monitor: monitor)
      }
    }
    if best == nil || !(best!.converged) {
      best = multiStart(
        problem, penalizer: penalizer, starts: startList.map { $0.map { Double.log($0) } },
        options: options.optimization, iterations: &iterations, evaluations: &evaluations,
        monitor: monitor)
    }
    if monitor.exhausted {
      throw ModelError.budgetExhausted(
        model: problem.modelName, seconds: monitor.seconds, evaluations: monitor.evaluations,
        best: monitor.best.map { best in
          zip(problem.parameterNames, best.phi).map { ($0, Double.exp($1)) }
            .map { "\($0) = \(shortNumber($1))" }.joined(separator: ", ")
        })
    }
    guard let best, best.value.isFinite else {
      throw ModelError.nonFinite(
        model: problem.modelName, quantity: "the log-likelihood at every starting point")
    }
    let theta = best.x.map { Double.exp($0) }
    var gradientLL = [Double](repeating: 0, count: k)
    let logLikelihood = problem.logLikelihood(theta, &gradientLL)
    guard logLikelihood.isFinite, theta.allSatisfy({ $0.isFinite }) else {
      throw ModelError.nonFinite(model: problem.modelName, quantity: "the log-likelihood")
    }

    var degenerateReasons: [String] = []
    if !best.converged {
      if !options.allowDegenerate {
        throw ModelError.didNotConverge(
          model: problem.modelName, iterations: iterations, gradientNorm: best.gradientNorm)
      }
      degenerateReasons.append("did not converge (\(best.reason.rawValue))")
    }
    for (name, phi) in zip(problem.parameterNames, best.x) where abs(phi) > logBoundary {
      degenerateReasons.append(
        "\(name) = \(Double.exp(phi)) is at the edge of the parameter space")
    }

    // Hessian of the penalized total objective in the natural parameters.
    let n = problem.customers
    let totalGradient: ([Double]) -> [Double] = { t in
      var g = [Double](repeating: 0, count: k)
      _ = problem.logLikelihood(t, &g)
      var out = [Double](repeating: 0, count: k)
      for i in 0..<k {
        let s = problem.penaltyScales[i]
        out[i] = -g[i] + 2 * n * penalizer * s * s * t[i]
      }
      return out
    }
    var standardErrors: [Double]?
    if degenerateReasons.isEmpty {
      let hessian = NumericalHessian.ofGradient(totalGradient, at: theta)
      do {
        let se = try CLVNumerics.standardErrors(fromHessian: hessian)
        if se.allSatisfy({ $0.isFinite }) {
          standardErrors = se
        } else {
          degenerateReasons.append("the standard errors are not finite")
        }
      } catch {
        degenerateReasons.append("the Hessian of −log L is not positive definite")
      }
    }
    let degenerate = !degenerateReasons.isEmpty
    if degenerate, !options.allowDegenerate {
      throw ModelError.degenerateFit(
        model: problem.modelName, reason: degenerateReasons.joined(separator: "; "))
    }
    let elapsed = clock.now - started
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let report = FitReport(
      logLikelihood: logLikelihood, standardErrors: standardErrors, iterations: iterations,
      functionEvaluations: evaluations, gradientNorm: best.gradientNorm,
      converged: best.converged, degenerate: degenerate, seconds: seconds,
      customers: Int(n.rounded()), distinctRows: problem.distinctRows, penalizer: penalizer,
      reason: degenerate
        ? degenerateReasons.joined(separator: "; ") : best.reason.rawValue,
      dropped: problem.dropped, cpuSeconds: threadCPUSeconds() - startedCPU)
    return Estimate(parameters: theta, report: report)
  }
}

// MARK: - Small numeric helpers shared by the models

/// log(eᵃ + eᵇ) without overflow.
@inline(__always)
func logAddExp(_ a: Double, _ b: Double) -> Double {
  if a == -.infinity { return b }
  if b == -.infinity { return a }
  let m = Swift.max(a, b)
  return m + Double.log(onePlus: Double.exp(-abs(a - b)))
}

/// The logistic function 1 / (1 + e⁻ᵛ), without overflow.
@inline(__always)
func logistic(_ v: Double) -> Double {
  if v >= 0 { return 1 / (1 + Double.exp(-v)) }
  let e = Double.exp(v)
  return e / (1 + e)
}

/// log(1 − eˣ) for x ≤ 0, accurate near 0 and for very negative x.
@inline(__always)
func log1mExp(_ x: Double) -> Double {
  x > -0.693_147_180_559_945_3
    ? Double.log(-Double.expMinusOne(x)) : Double.log(onePlus: -Double.exp(x))
}
