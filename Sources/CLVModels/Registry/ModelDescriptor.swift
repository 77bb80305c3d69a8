import CLVData

/// What question a model answers; commands pick their models by kind, never by id.
public enum ModelKind: String, Sendable, CaseIterable {
  /// Purchase counts and survival (``TransactionModel``): BG/NBD, Pareto/NBD, …
  case purchase
  /// Spend per purchase (``SpendModel``): Gamma-Gamma.
  case spend
  /// A churn classifier (``ChurnClassifier``): churn-logit.
  case churn
  /// Renewals of a contract in discrete periods (``ContractualModel``): sBG, BdW. Fitted on
  /// subscriber data (``SubscriberData``), not on order logs.
  case contractual
}

/// The data a model needs to be fitted, beyond customer ids.
public struct ModelDataNeeds: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// The purchase history (x, tₓ, T) of each customer.
  public static let purchaseHistory = ModelDataNeeds(rawValue: 1 << 0)
  /// A monetary value per customer (an amount column in the orders).
  public static let monetaryValue = ModelDataNeeds(rawValue: 1 << 1)
  /// Discrete opportunities (x, tₓ, n) in whole periods (the donations layout).
  public static let wholePeriods = ModelDataNeeds(rawValue: 1 << 2)
  /// A calibration period and a holdout whose purchases label who churned.
  public static let churnLabels = ModelDataNeeds(rawValue: 1 << 3)
  /// Subscriber data: per subscriber the start and end period, or a cohort's survival counts
  /// (``SubscriberData``).
  public static let subscriptions = ModelDataNeeds(rawValue: 1 << 4)
  /// Each customer's litt, Σ log of the inter-purchase times (``RFMSummary/logInterPurchaseTimes``):
  /// an order log, or a summary CSV with a `litt` column (`clv summarize --litt`).
  public static let interPurchaseTimes = ModelDataNeeds(rawValue: 1 << 5)
}

/// The predictions a fitted model offers.
public struct ModelPredictions: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// Conditional expected purchases in a horizon (``TransactionModel``).
  public static let expectedPurchases = ModelPredictions(rawValue: 1 << 0)
  /// P(alive) and P(no purchase in a horizon).
  public static let probabilityAlive = ModelPredictions(rawValue: 1 << 1)
  /// Expected time to the next purchase.
  public static let timeToNextPurchase = ModelPredictions(rawValue: 1 << 2)
  /// Unconditional E[X(t)] of a new customer in continuous time: the tracking series of
  /// cumulative repeat purchases (not for discrete-opportunity models).
  public static let trackingSeries = ModelPredictions(rawValue: 1 << 3)
  /// Conditional expected average spend per purchase (``SpendModel``).
  public static let expectedSpend = ModelPredictions(rawValue: 1 << 4)
  /// P(churn within the label horizon) from features (``ChurnClassifier``).
  public static let churnProbability = ModelPredictions(rawValue: 1 << 5)

  /// Survival and retention curves, expected lifetime, DEL and DERL (``ContractualModel``).
  public static let retention = ModelPredictions(rawValue: 1 << 6)

  /// The expected time to the next purchase depends on the time since the last one (regular,
  /// not memoryless, timing: Erlang-k gaps): the targeting rules date a customer's next purchase
  /// by it instead of by the customer's mean gap.
  public static let regularTiming = ModelPredictions(rawValue: 1 << 7)

  /// Everything a continuous-time purchase model offers.
  public static let purchaseModel: ModelPredictions = [
    .expectedPurchases, .probabilityAlive, .timeToNextPurchase, .trackingSeries,
  ]
}

/// One line of the model registry: everything a command, a help text, the run file, the
/// simulator and the report need to know about a model, without naming it in code.
///
/// Build it with ``init(_:kind:needs:predictions:timeScale:evaluatedByDefault:usage:)``
/// from a model type; see ``ModelRegistry`` for the table and
/// `notebooks-md/guides/architecture.md` for how to add a model.
public struct ModelDescriptor: Sendable {
  /// The model-file key and `--model` value, e.g. `bgnbd`.
  public let id: String
  /// Display name, e.g. `BG/NBD`.
  public let displayName: String
  public let kind: ModelKind
  /// Parameter names in the literature's letters and order; empty when they depend on the fit
  /// (churn-logit's coefficients).
  public let parameterNames: [String]
  /// Whether every parameter is positive (the BTYD models; not regression coefficients):
  /// intervals are then computed on the log scale.
  public let positiveParameters: Bool
  public let needs: ModelDataNeeds
  public let predictions: ModelPredictions
  /// The time scale of the fitted parameters.
  public let timeScale: ModelTimeScale
  /// Whether `clv evaluate` runs it when `--models` is not given.
  public let evaluatedByDefault: Bool
  /// A short note for help texts, e.g. "whole-number periods only"; nil when none.
  public let usage: String?

  let fitter: (@Sendable (RFMSummary, [Double]?, FitOptions) throws -> any ModelFileConvertible)?
  let contractFitter: (@Sendable (ContractDurations, FitOptions) throws -> any ContractualModel)?
  let decoder: @Sendable (ModelFile, String) throws -> any ModelFileConvertible
  let simulator: (@Sendable ([Double]) -> (any SimulatedPurchaseProcess)?)?
  let parameterRules: (@Sendable ([String: Double]) -> [String])?
  let covariateFitter:
    (
      @Sendable (
        [RFMSummary.Row], [[Double]], CovariateDesign, Double, FitOptions
      ) throws -> any CovariateTransactionModel
    )?
  let covariateDecoder: (@Sendable (ModelFile, String) throws -> any CovariateTransactionModel)?
  let covariateMaker:
    (@Sendable ([Double], CovariateDesign, [[Double]]) -> any CovariateTransactionModel)?
  let spendCovariateFitter:
    (
      @Sendable (
        [RFMSummary.Row], [[Double]], CovariateDesign, Double, FitOptions
      ) throws -> any CovariateSpendModel
    )?
  let spendCovariateDecoder: (@Sendable (ModelFile, String) throws -> any CovariateSpendModel)?
  /// The parameters covariates scale, one coefficient vector each (empty: no covariates).
  public let covariateLinks: [CovariateLink]

  /// The descriptor of a model fitted on customer summaries by maximum likelihood. `clv
  /// simulate` offers it when the model conforms to ``SimulatedPurchaseProcess``.
  ///
  /// - Parameter warnings: the model's own warnings about its estimates by name (e.g.
  ///   Gamma-Gamma: q ≤ 1 gives no finite mean spend); see ``ModelWarnings``.
  public init<Model: SummaryFittable>(
    _ type: Model.Type, kind: ModelKind, needs: ModelDataNeeds,
    predictions: ModelPredictions, timeScale: ModelTimeScale = .calendar,
    evaluatedByDefault: Bool, usage: String? = nil,
    warnings: (@Sendable ([String: Double]) -> [String])? = nil
  ) {
    id = Model.modelID
    displayName = Model.modelName
    self.kind = kind
    parameterNames = Model.parameterNames
    positiveParameters = true
    self.needs = needs
    self.predictions = predictions
    self.timeScale = timeScale
    self.evaluatedByDefault = evaluatedByDefault
    self.usage = usage
    fitter = { summary, weights, options in
      try Model.fit(summary, weights: weights, options: options)
    }
    decoder = { file, path in try Model(modelFile: file, path: path) }
    if Model.self is any SimulatedPurchaseProcess.Type {
      simulator = { Model(parameters: $0, fitReport: nil) as? any SimulatedPurchaseProcess }
    } else {
      simulator = nil
    }
    contractFitter = nil
    parameterRules = warnings
    if let covariateType = Model.self as? any CovariateFittable.Type {
      covariateFitter = covariateFitterOf(covariateType)
      covariateDecoder = covariateDecoderOf(covariateType)
      covariateMaker = covariateMakerOf(covariateType)
      covariateLinks = covariateType.covariateLinks
    } else {
      covariateFitter = nil
      covariateDecoder = nil
      covariateMaker = nil
      covariateLinks = (Model.self as? any CovariateSpendFittable.Type)?.covariateLinks ?? []
    }
    if let spendType = Model.self as? any CovariateSpendFittable.Type {
      spendCovariateFitter = { rows, covariates, design, l2, options in
        try spendType.fit(
          rows, covariates: covariates, design: design, covariateL2: l2, options: options)
      }
      spendCovariateDecoder = { file, path in
        try spendType.covariateModel(modelFile: file, path: path)
      }
    } else {
      spendCovariateFitter = nil
      spendCovariateDecoder = nil
    }
  }

  /// The descriptor of a model with its own training pipeline (churn-logit: features and
  /// labels, not a summary fit); its parameters are named by the fit.
  public init<Model: ModelFileConvertible>(
    trainedSeparately type: Model.Type, kind: ModelKind, needs: ModelDataNeeds,
    predictions: ModelPredictions, positiveParameters: Bool, evaluatedByDefault: Bool,
    usage: String? = nil
  ) {
    id = Model.modelID
    displayName = Model.modelName
    self.kind = kind
    parameterNames = []
    self.positiveParameters = positiveParameters
    self.needs = needs
    self.predictions = predictions
    timeScale = .calendar
    self.evaluatedByDefault = evaluatedByDefault
    self.usage = usage
    fitter = nil
    decoder = { file, path in try Model(modelFile: file, path: path) }
    simulator = nil
    contractFitter = nil
    parameterRules = nil
    covariateFitter = nil
    covariateDecoder = nil
    covariateMaker = nil
    covariateLinks = []
    spendCovariateFitter = nil
    spendCovariateDecoder = nil
  }

  /// The descriptor of a contractual model (``ModelKind/contractual``), fitted on contract
  /// durations from subscriber data; its parameters are counted in contract periods (unit
  /// `opportunity`).
  public init<Model: ContractualModel>(
    contractual type: Model.Type, predictions: ModelPredictions = .retention,
    evaluatedByDefault: Bool = false, usage: String? = "subscriber data"
  ) {
    id = Model.modelID
    displayName = Model.modelName
    kind = .contractual
    parameterNames = Model.parameterNames
    positiveParameters = true
    needs = .subscriptions
    self.predictions = predictions
    timeScale = .opportunity
    self.evaluatedByDefault = evaluatedByDefault
    self.usage = usage
    fitter = nil
    decoder = { file, path in try Model(modelFile: file, path: path) }
    simulator = nil
    parameterRules = nil
    contractFitter = { durations, options in try Model.fit(durations, options: options) }
    covariateFitter = nil
    covariateDecoder = nil
    covariateMaker = nil
    covariateLinks = []
    spendCovariateFitter = nil
    spendCovariateDecoder = nil
  }

  /// Whether ``fit(_:weights:options:)`` can fit the model on customer summaries (false for
  /// models with their own pipeline, such as churn-logit).
  public var fitsSummaries: Bool { fitter != nil }

  /// Fits the model on customer summaries.
  /// - Throws: the model's ``ModelError``; ``ModelError/unusableData(model:reason:)`` for a
  ///   model that is not fitted on summaries (``fitsSummaries`` is false).
  public func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> any ModelFileConvertible {
    guard let fitter else {
      throw ModelError.unusableData(
        model: displayName, reason: "it is not fitted on customer summaries")
    }
    return try fitter(summary, weights, options)
  }

  /// Fits a contractual model on contract durations.
  /// - Throws: the model's ``ModelError``; ``ModelError/unusableData(model:reason:)`` for a
  ///   model that is not contractual.
  public func fit(
    _ durations: ContractDurations, options: FitOptions = FitOptions()
  ) throws -> any ContractualModel {
    guard let contractFitter else {
      throw ModelError.unusableData(
        model: displayName, reason: "it is not fitted on subscriber data")
    }
    return try contractFitter(durations, options)
  }

  /// Rebuilds the model from its file; `path` is for messages.
  public func decode(_ file: ModelFile, path: String) throws -> any ModelFileConvertible {
    try decoder(file, path)
  }

  /// The model's own warnings about estimates (by parameter name), as sentences; empty when
  /// the model has no such rule or the estimates pass it. ``ModelWarnings`` adds the rules
  /// every fit shares (failure, no convergence, degenerate).
  public func parameterWarnings(_ parameters: [String: Double]) -> [String] {
    parameterRules?(parameters) ?? []
  }

  /// Whether `clv simulate` can draw order logs from the model.
  public var simulates: Bool { simulator != nil }

  /// The model with `parameters` (in ``parameterNames`` order) as a generative process; nil
  /// when the model has none.
  public func process(parameters: [Double]) -> (any SimulatedPurchaseProcess)? {
    precondition(parameters.count == parameterNames.count, "one value per parameter")
    return simulator?(parameters)
  }

  /// The unit of a fit on data in `dataUnit`.
  public func unit(fittedOn dataUnit: TimeUnit) -> ModelUnit? {
    switch timeScale {
    case .calendar: return .time(dataUnit)
    case .opportunity: return .opportunity
    case .none: return nil
    }
  }
}

/// The time scale of a model's parameters.
public enum ModelTimeScale: Sendable {
  /// The calendar unit of the data it was fitted on (day, week, month).
  case calendar
  /// Discrete opportunities (BG/BB): times are counts of periods, not converted.
  case opportunity
  /// No time in the parameters (Gamma-Gamma).
  case none
}
