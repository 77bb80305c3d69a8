import CLVModels

extension RunFile {
  /// The options `clv evaluate` ran with (absent in files written before clvkit recorded them;
  /// every field is optional so that a reader never depends on one).
  public struct Options: Codable, Sendable, Equatable {
    /// The models requested with `--models`; nil when the default list was used.
    public var models: [String]?
    /// The L2 penalizer of the purchase-model and Gamma-Gamma fits (`--penalizer`).
    public var penalizer: Double?
    /// The seed of churn-logit's cross-validation folds (`--seed`).
    public var seed: UInt64?
    /// Degenerate fits kept, flagged (`--allow-degenerate`; evaluate's default without
    /// `--strict`).
    public var allowDegenerate: Bool?
    /// Any failure an error (`--strict`).
    public var strict: Bool?
    /// Each fit's wall-clock budget in seconds (`--fit-time-limit`); nil for none.
    public var fitTimeLimit: Double?
    /// churn-logit's features (`--features`); nil for its default list.
    public var churnFeatures: [String]?
    /// churn-logit's L2 penalty (`--l2`).
    public var churnL2: Double?
    /// churn-logit's attributes file (`--attributes`) and whether missing customers were
    /// filled (`--fill`).
    public var churnAttributes: String?
    public var churnFill: Bool?
    /// The purchase-model file whose predictions became churn-logit features (`--with-model`).
    public var churnWithModel: String?
    /// The attribute columns of the purchase and dropout processes of the models fitted with
    /// covariates (`--purchase-covariates`, `--dropout-covariates`; nil: every column) and the
    /// L2 weight on their coefficients (`--covariate-l2`); absent without covariates.
    public var purchaseCovariates: [String]?
    public var dropoutCovariates: [String]?
    public var covariateL2: Double?
    /// `--same-coefficient`: columns with one coefficient for both processes; absent for none.
    public var sameCoefficient: [String]?

    public init(
      models: [String]? = nil, penalizer: Double? = nil, seed: UInt64? = nil,
      allowDegenerate: Bool? = nil, strict: Bool? = nil, fitTimeLimit: Double? = nil,
      churnFeatures: [String]? = nil, churnL2: Double? = nil, churnAttributes: String? = nil,
      churnFill: Bool? = nil, churnWithModel: String? = nil
    ) {
      self.models = models
      self.penalizer = penalizer
      self.seed = seed
      self.allowDegenerate = allowDegenerate
      self.strict = strict
      self.fitTimeLimit = fitTimeLimit
      self.churnFeatures = churnFeatures
      self.churnL2 = churnL2
      self.churnAttributes = churnAttributes
      self.churnFill = churnFill
      self.churnWithModel = churnWithModel
    }
  }
}

extension RunFile.Options {
  /// The options of `plan`, as the run file records them.
  public init(_ plan: EvaluationPlan) {
    self.init(
      models: plan.models, penalizer: plan.penalizer, seed: plan.seed,
      allowDegenerate: plan.allowDegenerate, strict: plan.strict,
      fitTimeLimit: plan.fitTimeLimit, churnFeatures: plan.churnFeatures,
      churnL2: plan.churnL2, churnAttributes: plan.churnAttributesFile,
      churnFill: plan.churnFill, churnWithModel: plan.churnWithModel)
    purchaseCovariates = plan.covariates?.purchase
    dropoutCovariates = plan.covariates?.dropout
    covariateL2 = plan.covariates?.covariateL2
    sameCoefficient = plan.covariates.flatMap {
      $0.sameCoefficient.isEmpty ? nil : $0.sameCoefficient
    }
  }
}

extension RunFile.ModelResult {
  /// What a reader must know before trusting this model (``ModelWarnings``): its failure, a
  /// fit that did not converge, the fit's findings (or "degenerate fit kept" when it has none),
  /// and the model's parameter rules (Gamma-Gamma q ≤ 1).
  public var warnings: [String] {
    let findings = self.findings ?? []
    var lines = ModelWarnings.warnings(
      model: model, parameters: parameters, converged: fit?.converged,
      degenerate: findings.isEmpty ? fit?.degenerate : false, reason: fit?.reason,
      error: error)
    if error == nil { lines.insert(contentsOf: findings, at: 0) }
    return lines
  }
}
