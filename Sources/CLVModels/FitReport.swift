import CLVData

/// How a model's parameters were estimated: the facts a reader needs to trust the fit.
///
/// One type in memory and on disk. It joins the estimate (log-likelihood, standard errors,
/// customers), which model files and run-file entries keep at their top level beside the
/// parameters, and the ``Optimizer`` record, which they keep as their `fit` object
/// (``ModelFile/fit``, ``ModelFile/fitReport(parameterNames:)``). In a `FitReport` the optimizer
/// record is complete (every one of ``Optimizer/requiredFields``); its fields read through the
/// report (`report.iterations`, `report.converged`, …).
public struct FitReport: Sendable, Equatable {
  /// Total log-likelihood at the estimate, unpenalized, in the fit's time unit.
  public var logLikelihood: Double
  /// Standard errors of the parameters (same order as `parameterValues`), from the inverse of
  /// the observed information (Hessian of −log L in the natural parameters, by central
  /// differences of the analytic gradient); nil when not computable (degenerate fits).
  public var standardErrors: [Double]?
  /// Customers used by the fit.
  public var customers: Int
  /// Covariance of the log-parameters φ = log θ at the estimate (rows and columns in the order
  /// of `parameterValues`), by the delta method from the inverse Hessian of −log L in θ:
  /// Cov(φᵢ, φⱼ) = Cov(θᵢ, θⱼ) / (θᵢ θⱼ). The coefficients of a model with covariates, which
  /// can be negative, stay on their own scale (φᵢ = γᵢ, no division:
  /// ``MaximumLikelihood/logScale(_:at:positive:)``). What parameter draws for prediction intervals need
  /// (``ParameterDraws``); nil when not computable or not recorded (older model files). Model
  /// files keep it at their top level as ``ModelFile/logParameterCovariance``.
  /// - Source: [CB2002] section 5.5.4 (the delta method) and section 10.1 (observed
  ///   information).
  public var logParameterCovariance: [[Double]]?
  /// How the optimizer ran: the `fit` object of model files and run-file entries. Complete
  /// (``Optimizer/missingField`` is nil); set through the report's own properties.
  public private(set) var optimizer: Optimizer

  public init(
    logLikelihood: Double, standardErrors: [Double]?, iterations: Int, functionEvaluations: Int,
    gradientNorm: Double, converged: Bool, degenerate: Bool = false, seconds: Double,
    customers: Int, distinctRows: Int, penalizer: Double = 0, reason: String? = nil,
    dropped: Int = 0, cpuSeconds: Double? = nil
  ) {
    self.logLikelihood = logLikelihood
    self.standardErrors = standardErrors
    self.customers = customers
    optimizer = Optimizer(
      iterations: iterations, functionEvaluations: functionEvaluations, converged: converged,
      degenerate: degenerate, seconds: seconds, cpuSeconds: cpuSeconds,
      gradientNorm: gradientNorm, distinctRows: distinctRows, penalizer: penalizer,
      reason: reason, dropped: dropped)
  }

  /// The report of an estimate and its optimizer record, as a file keeps them; nil when the
  /// record lacks one of ``Optimizer/requiredFields`` (a run-file entry may).
  public init?(
    logLikelihood: Double, standardErrors: [Double]?, customers: Int, optimizer: Optimizer
  ) {
    guard optimizer.missingField == nil else { return nil }
    self.logLikelihood = logLikelihood
    self.standardErrors = standardErrors
    self.customers = customers
    self.optimizer = optimizer
  }

  // The optimizer record's fields, through the report (present by construction).
  public var iterations: Int {
    get { optimizer.iterations ?? 0 }
    set { optimizer.iterations = newValue }
  }
  public var functionEvaluations: Int {
    get { optimizer.functionEvaluations ?? 0 }
    set { optimizer.functionEvaluations = newValue }
  }
  public var gradientNorm: Double {
    get { optimizer.gradientNorm ?? 0 }
    set { optimizer.gradientNorm = newValue }
  }
  public var converged: Bool {
    get { optimizer.converged ?? false }
    set { optimizer.converged = newValue }
  }
  /// True when the fit was accepted with `--allow-degenerate` although it did not converge or
  /// its Hessian was not positive definite.
  public var degenerate: Bool {
    get { optimizer.degenerate ?? false }
    set { optimizer.degenerate = newValue }
  }
  /// Wall-clock seconds of the estimation.
  public var seconds: Double {
    get { optimizer.seconds ?? 0 }
    set { optimizer.seconds = newValue }
  }
  /// CPU seconds of the estimation (its thread); nil when not measured.
  public var cpuSeconds: Double? {
    get { optimizer.cpuSeconds }
    set { optimizer.cpuSeconds = newValue }
  }
  /// Distinct rows after collapsing identical customers.
  public var distinctRows: Int {
    get { optimizer.distinctRows ?? 0 }
    set { optimizer.distinctRows = newValue }
  }
  /// The L2 penalizer coefficient used (lifetimes' `penalizer_coef`; 0 = plain MLE).
  public var penalizer: Double {
    get { optimizer.penalizer ?? 0 }
    set { optimizer.penalizer = newValue }
  }
  /// Why the optimizer stopped (`ConvergenceReason.rawValue`), and why the fit is degenerate.
  public var reason: String? {
    get { optimizer.reason }
    set { optimizer.reason = newValue }
  }
  /// Customers left out of the fit (e.g. Gamma-Gamma: no repeat purchase or no positive spend).
  public var dropped: Int {
    get { optimizer.dropped ?? 0 }
    set { optimizer.dropped = newValue }
  }
}

extension FitReport {
  /// How the optimizer ran: the `fit` object of a model file and of each model entry of a run
  /// file (which embeds the model file), and the optimizer part of a ``FitReport`` in memory.
  ///
  /// Every field is optional as the run-file format documents it (older run files carry only
  /// some); a model file must have all of ``requiredFields``, which
  /// ``ModelFile/decode(_:path:)`` checks, and a ``FitReport`` always has them.
  public struct Optimizer: Codable, Sendable, Equatable {
    public var iterations: Int?
    public var functionEvaluations: Int?
    public var converged: Bool?
    /// True when the fit was accepted with `--allow-degenerate`.
    public var degenerate: Bool?
    public var seconds: Double?
    /// CPU seconds of the estimation (absent in older files).
    public var cpuSeconds: Double?
    public var gradientNorm: Double?
    /// Distinct rows after collapsing identical customers.
    public var distinctRows: Int?
    /// The L2 penalizer coefficient of the fit (0 for none).
    public var penalizer: Double?
    /// Why the optimizer stopped.
    public var reason: String?
    /// Customers left out of the fit (Gamma-Gamma: no repeat purchase or no positive spend).
    public var dropped: Int?

    public init(
      iterations: Int? = nil, functionEvaluations: Int? = nil, converged: Bool? = nil,
      degenerate: Bool? = nil, seconds: Double? = nil, cpuSeconds: Double? = nil,
      gradientNorm: Double? = nil, distinctRows: Int? = nil, penalizer: Double? = nil,
      reason: String? = nil, dropped: Int? = nil
    ) {
      self.iterations = iterations
      self.functionEvaluations = functionEvaluations
      self.converged = converged
      self.degenerate = degenerate
      self.seconds = seconds
      self.cpuSeconds = cpuSeconds
      self.gradientNorm = gradientNorm
      self.distinctRows = distinctRows
      self.penalizer = penalizer
      self.reason = reason
      self.dropped = dropped
    }

    /// The fields a model file's `fit` object must have (every one but `cpuSeconds` and
    /// `reason`), in the order of the file.
    public static let requiredFields = [
      "iterations", "functionEvaluations", "converged", "degenerate", "seconds", "gradientNorm",
      "distinctRows", "penalizer", "dropped",
    ]

    /// The first of ``requiredFields`` that is absent; nil when the record is complete.
    public var missingField: String? {
      let present: [String: Bool] = [
        "iterations": iterations != nil, "functionEvaluations": functionEvaluations != nil,
        "converged": converged != nil, "degenerate": degenerate != nil,
        "seconds": seconds != nil, "gradientNorm": gradientNorm != nil,
        "distinctRows": distinctRows != nil, "penalizer": penalizer != nil,
        "dropped": dropped != nil,
      ]
      return Self.requiredFields.first { present[$0] != true }
    }

    /// The `fit` object as a model file writes it: keys in the documented order, absent
    /// values as null.
    public var jsonValue: JSONValue {
      func number(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
      func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
      return .object([
        ("iterations", number(iterations)),
        ("functionEvaluations", number(functionEvaluations)),
        ("converged", converged.map { .bool($0) } ?? .null),
        ("degenerate", degenerate.map { .bool($0) } ?? .null),
        ("seconds", number(seconds)),
        ("cpuSeconds", number(cpuSeconds)),
        ("gradientNorm", number(gradientNorm)),
        ("distinctRows", number(distinctRows)),
        ("penalizer", number(penalizer)),
        ("reason", reason.map { .string($0) } ?? .null),
        ("dropped", number(dropped)),
      ])
    }
  }
}

// MARK: - Codable (one flat object: the estimate's fields and the optimizer's)

extension FitReport: Codable {
  private enum EstimateKeys: String, CodingKey {
    case logLikelihood, standardErrors, customers, logParameterCovariance
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: EstimateKeys.self)
    let optimizer = try Optimizer(from: decoder)
    guard
      let report = FitReport(
        logLikelihood: try container.decode(Double.self, forKey: .logLikelihood),
        standardErrors: try container.decodeIfPresent([Double].self, forKey: .standardErrors),
        customers: try container.decode(Int.self, forKey: .customers), optimizer: optimizer)
    else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "fit report without '\(optimizer.missingField ?? "")'"))
    }
    self = report
    logParameterCovariance = try container.decodeIfPresent(
      [[Double]].self, forKey: .logParameterCovariance)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: EstimateKeys.self)
    try container.encode(logLikelihood, forKey: .logLikelihood)
    try container.encodeIfPresent(standardErrors, forKey: .standardErrors)
    try container.encode(customers, forKey: .customers)
    try container.encodeIfPresent(logParameterCovariance, forKey: .logParameterCovariance)
    try optimizer.encode(to: encoder)
  }
}

extension FitReport {
  /// 95% Wald intervals of positive parameters, computed on the log scale on which they are
  /// fitted: exp(log θ ± 1.96·SE(θ)/θ), the delta method giving SE(log θ) = SE(θ)/θ. Unlike
  /// lifetimes' `confidence_intervals_` (θ ± 1.96·SE) they never reach below zero, and they
  /// are asymmetric where the likelihood is (a flat direction such as Pareto/NBD's β on
  /// CDNOW). A non-positive value (not a BTYD parameter) gets the plain θ ± 1.96·SE. nil
  /// without standard errors. The report (`CLVReport`) shows the same intervals.
  /// - Source: [CB2002] section 10.1 (Wald intervals, delta method).
  ///
  /// - Parameter positive: per parameter, whether it is a positive parameter (log-scale
  ///   interval); nil = every positive value. Covariate coefficients (real numbers) get the
  ///   plain θ ± 1.96·SE whatever their sign.
  public func confidenceIntervals(
    for parameters: [Double], positive: [Bool]? = nil
  ) -> [ClosedRange<Double>]? {
    guard let standardErrors, standardErrors.count == parameters.count else { return nil }
    let z = 1.959_963_984_540_054
    return zip(parameters, standardErrors).enumerated().map { i, pair in
      let (value, se) = pair
      guard value > 0, positive?[i] ?? true else { return (value - z * se)...(value + z * se) }
      let spread = Double.exp(z * se / value)
      return (value / spread)...(value * spread)
    }
  }
}
