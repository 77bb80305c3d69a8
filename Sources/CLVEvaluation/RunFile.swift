import CLVData
import CLVModels
import Foundation

/// The run file written by `clv evaluate` and read by `clv report`: one evaluation of one or more
/// models on a calibration period and the holdout period after it.
///
/// The JSON layout is documented field by field in `notebooks-md/run-file.md`. Everything that
/// only some models produce is optional: purchase models fill ``ModelResult/holdout``, models
/// that give P(alive) and churn-logit fill ``ModelResult/churn``, Gamma-Gamma fills
/// ``ModelResult/spend``. Dates are `yyyy-MM-dd` strings and times are in ``DataInfo/unit``.
/// Each model entry embeds its model file (`clvkit-model/1`) with the model file's own types
/// (``FitReport/Optimizer``, ``ModelFile/DataSource``, ``ModelFile/Tool``, ``ModelUnit``).
public struct RunFile: Codable, Sendable, Equatable {
  /// The schema tag this version of clvkit writes and reads.
  public static let currentSchema = "clvkit.run/1"

  /// Always ``currentSchema`` (`"clvkit.run/1"`).
  public var schema: String
  /// The run's identifier, chosen by the writer (e.g. `"cdnow-1997-09-30"` or a timestamp).
  public var run: String
  /// When the run was written, ISO 8601 in UTC (`2026-11-22T19:52:41Z`).
  public var createdAt: String
  /// The program that wrote the file, `{"name": "clv", "version": "0.1.0"}` (as in model files).
  public var tool: Tool
  /// The data the models were evaluated on.
  public var data: DataInfo
  /// One entry per evaluated model, in the order they were requested.
  public var models: [ModelResult]
  /// The models ordered from best to worst on the headline measures.
  public var ranking: Ranking
  /// The campaign lists built at the calibration end and judged on the holdout (absent in
  /// older files, and when the input cannot be re-read).
  public var targeting: TargetingBacktest?
  /// The options of the evaluation (absent in older files).
  public var options: Options?

  public init(
    schema: String = RunFile.currentSchema, run: String, createdAt: String, tool: Tool,
    data: DataInfo, models: [ModelResult], ranking: Ranking
  ) {
    self.schema = schema
    self.run = run
    self.createdAt = createdAt
    self.tool = tool
    self.data = data
    self.models = models
    self.ranking = ranking
  }
}

extension RunFile {
  /// The program that wrote a file: the model file's type, so entries copied from model files
  /// and the run's own `tool` are the same thing.
  public typealias Tool = ModelFile.Tool

  /// The input data, the calibration/holdout split and the customer counts.
  public struct DataInfo: Codable, Sendable, Equatable {
    /// The input file as given on the command line (`-` for standard input).
    public var file: String
    /// SHA-256 of the input bytes, 64 lowercase hex digits.
    public var sha256: String
    /// The first purchase day in the data (start of the tracking series), when known.
    public var firstPurchase: String?
    /// Last day of the calibration period D (inclusive).
    public var calibrationEnd: String
    /// Last day of the holdout period E (inclusive); the holdout is (D, E].
    public var observationEnd: String
    /// The model time unit: `day`, `week` or `month`; `opportunity` for a run on subscriber
    /// data, whose ends are contract periods (`period N`, ``ContractualEvaluation``).
    public var unit: ModelUnit
    /// Length of the holdout (E − D) in `unit`.
    public var holdoutLength: Double?
    /// Customers with a first purchase on or before D (the customers the models were fitted on).
    public var customers: Int
    /// Of these, customers with at least one repeat purchase in the calibration period.
    public var repeatCustomers: Int?
    /// Of these, customers with at least one purchase in the holdout.
    public var holdoutPurchasers: Int?
    /// Order lines (or purchase days, after grouping) read from the input, when known.
    public var orders: Int?
    /// The Wheat–Morrison regularity of the calibration period's purchase timing
    /// (``PurchaseRegularity``: k̂ ≈ 1 memoryless, ≥ 2 regular), when computed.
    public var regularity: PurchaseRegularity?

    public init(
      file: String, sha256: String, firstPurchase: String? = nil, calibrationEnd: String,
      observationEnd: String, unit: ModelUnit, holdoutLength: Double? = nil, customers: Int,
      repeatCustomers: Int? = nil, holdoutPurchasers: Int? = nil, orders: Int? = nil
    ) {
      self.file = file
      self.sha256 = sha256
      self.firstPurchase = firstPurchase
      self.calibrationEnd = calibrationEnd
      self.observationEnd = observationEnd
      self.unit = unit
      self.holdoutLength = holdoutLength
      self.customers = customers
      self.repeatCustomers = repeatCustomers
      self.holdoutPurchasers = holdoutPurchasers
      self.orders = orders
    }
  }

  /// One model's fit (the content of its model file, `clvkit-model/1`) and its holdout results.
  ///
  /// The model-file fields keep their names and meaning (`schema`, `model`, `parameters`,
  /// `standardErrors`, `logLikelihood`, `customers`, `unit`, `fit`, `data`, `createdAt`,
  /// `tool`, `extra`), so a model file's JSON object plus `holdout`/`churn`/`spend`/
  /// `pAliveHistogram` is a valid entry.
  public struct ModelResult: Codable, Sendable, Equatable {
    /// The model file's schema (`"clvkit-model/1"`), when the entry was copied from one.
    public var schema: String?
    /// The model key: `bgnbd`, `mbgnbd`, `pnbd`, `bgbb`, `gamma-gamma` or `churn-logit`.
    public var model: String
    /// Display name, e.g. `"BG/NBD"`; readers fall back to ``model``.
    public var name: String?
    /// Estimates by parameter name in the literature's letters (`r`, `alpha`, `a`, `b`, …) or,
    /// for churn-logit, by coefficient name (`intercept`, …).
    public var parameters: [String: Double]
    /// Parameter names in the model's own order, for display; readers fall back to a canonical
    /// order when absent.
    public var parameterNames: [String]?
    /// Standard errors by parameter name (from the inverse observed information); absent when
    /// not computable.
    public var standardErrors: [String: Double]?
    /// Log-likelihood of the calibration data at the estimate (unpenalized).
    public var logLikelihood: Double?
    /// Customers the model was fitted on.
    public var customers: Int?
    /// Time unit of the parameters (`day`, `week`, `month`; `opportunity` for BG/BB).
    public var unit: ModelUnit?
    /// How the optimizer ran: the model file's `fit` object.
    public var fit: FitReport.Optimizer?
    /// The model file's record of its training data.
    public var data: ModelFile.DataSource?
    /// When the model file was written.
    public var createdAt: String?
    /// The program that wrote the model file.
    public var tool: Tool?
    /// Model-specific fields of the model file (e.g. churn-logit's features and scaling),
    /// carried as they are.
    public var extra: JSONValue?
    /// Purchase-count accuracy on the holdout (purchase models).
    public var holdout: Holdout?
    /// Classification of "no purchase in the holdout" (models with P(alive), churn-logit).
    public var churn: Churn?
    /// Spend accuracy on the holdout (Gamma-Gamma).
    public var spend: Spend?
    /// Distribution of P(alive) at D over the calibration customers (models with P(alive)).
    public var pAliveHistogram: [HistogramBin]?
    /// Expected purchases and P(alive) over a grid of frequency and recency (purchase models;
    /// absent in older files).
    public var frequencyRecency: FrequencyRecencyMatrix?
    /// Customers by number of repeat purchases in the calibration period, actual and
    /// model-expected (purchase models; absent in older files).
    public var repeatPurchases: [RepeatPurchaseRow]?
    /// Survival by tenure, observed and projected (contractual models: sBG, BdW).
    public var retention: Retention?
    /// The coefficients, the likelihood-ratio test and the holdout accuracy against the nested
    /// model of a purchase model fitted with covariates (`--attributes`; absent in older files).
    public var covariates: Covariates?
    /// Why the model could not be fitted or measured (`clv evaluate` keeps going with the other
    /// models); the entry then has no parameters and no measures.
    public var error: String?
    /// What the fit says about the data, e.g. a degenerate fit kept because nobody churns within
    /// the calibration history (see ``ModelEvaluation/findings(of:sample:)``).
    public var findings: [String]?

    public init(
      schema: String? = nil, model: String, name: String? = nil, parameters: [String: Double],
      parameterNames: [String]? = nil, standardErrors: [String: Double]? = nil,
      logLikelihood: Double? = nil, customers: Int? = nil, unit: ModelUnit? = nil,
      fit: FitReport.Optimizer? = nil, data: ModelFile.DataSource? = nil, createdAt: String? = nil,
      tool: Tool? = nil,
      extra: JSONValue? = nil, holdout: Holdout? = nil, churn: Churn? = nil,
      spend: Spend? = nil, pAliveHistogram: [HistogramBin]? = nil, error: String? = nil,
      findings: [String]? = nil, retention: Retention? = nil
    ) {
      self.retention = retention
      self.error = error
      self.findings = findings
      self.schema = schema
      self.model = model
      self.name = name
      self.parameters = parameters
      self.parameterNames = parameterNames
      self.standardErrors = standardErrors
      self.logLikelihood = logLikelihood
      self.customers = customers
      self.unit = unit
      self.fit = fit
      self.data = data
      self.createdAt = createdAt
      self.tool = tool
      self.extra = extra
      self.holdout = holdout
      self.churn = churn
      self.spend = spend
      self.pAliveHistogram = pAliveHistogram
    }
  }

}

extension RunFile {
  /// Model-specific fields (e.g. churn-logit's features and scaling): the model file's own
  /// JSON value type, keys sorted when decoded.
  public typealias JSONValue = CLVModels.JSONValue
}
