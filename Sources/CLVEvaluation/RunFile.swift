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
/// The type is self-contained (no dependency on the model targets) so that a reader of run
/// files needs nothing else.
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
    /// The model time unit: `day`, `week` or `month`.
    public var unit: String
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

    public init(
      file: String, sha256: String, firstPurchase: String? = nil, calibrationEnd: String,
      observationEnd: String, unit: String, holdoutLength: Double? = nil, customers: Int,
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
    /// Time unit of the parameters.
    public var unit: String?
    /// How the optimizer ended.
    public var fit: FitInfo?
    /// The model file's record of its training data.
    public var data: ModelData?
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
    /// Why the model could not be fitted or measured (`clv evaluate` keeps going with the other
    /// models); the entry then has no parameters and no measures.
    public var error: String?
    /// What the fit says about the data, e.g. a degenerate fit kept because nobody churns within
    /// the calibration history (see ``ModelEvaluation/findings(of:sample:)``).
    public var findings: [String]?

    public init(
      schema: String? = nil, model: String, name: String? = nil, parameters: [String: Double],
      parameterNames: [String]? = nil, standardErrors: [String: Double]? = nil,
      logLikelihood: Double? = nil, customers: Int? = nil, unit: String? = nil,
      fit: FitInfo? = nil, data: ModelData? = nil, createdAt: String? = nil, tool: Tool? = nil,
      extra: JSONValue? = nil, holdout: Holdout? = nil, churn: Churn? = nil,
      spend: Spend? = nil, pAliveHistogram: [HistogramBin]? = nil, error: String? = nil,
      findings: [String]? = nil
    ) {
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

  /// The optimizer's report (the `fit` object of a model file). Every field is optional.
  public struct FitInfo: Codable, Sendable, Equatable {
    public var iterations: Int?
    public var functionEvaluations: Int?
    public var gradientNorm: Double?
    public var converged: Bool?
    /// True when the fit was accepted with `--allow-degenerate`.
    public var degenerate: Bool?
    public var seconds: Double?
    /// Distinct rows after collapsing identical customers.
    public var distinctRows: Int?
    /// The L2 penalizer coefficient of the fit (0 for none).
    public var penalizer: Double?
    /// Why the optimizer stopped.
    public var reason: String?
    /// Customers left out of the fit (Gamma-Gamma: no repeat purchase or no positive spend).
    public var dropped: Int?

    public init(
      iterations: Int? = nil, functionEvaluations: Int? = nil, gradientNorm: Double? = nil,
      converged: Bool? = nil, degenerate: Bool? = nil, seconds: Double? = nil,
      distinctRows: Int? = nil, penalizer: Double? = nil, reason: String? = nil,
      dropped: Int? = nil
    ) {
      self.penalizer = penalizer
      self.reason = reason
      self.dropped = dropped
      self.iterations = iterations
      self.functionEvaluations = functionEvaluations
      self.gradientNorm = gradientNorm
      self.converged = converged
      self.degenerate = degenerate
      self.seconds = seconds
      self.distinctRows = distinctRows
    }
  }
}

extension RunFile {
  /// A model file's record of its training data (every field optional).
  public struct ModelData: Codable, Sendable, Equatable {
    public var file: String?
    public var sha256: String?
    public var observationEnd: String?
    public var calibrationEnd: String?
    public var firstDate: String?
    public var lastDate: String?

    public init(
      file: String? = nil, sha256: String? = nil, observationEnd: String? = nil,
      calibrationEnd: String? = nil, firstDate: String? = nil, lastDate: String? = nil
    ) {
      self.file = file
      self.sha256 = sha256
      self.observationEnd = observationEnd
      self.calibrationEnd = calibrationEnd
      self.firstDate = firstDate
      self.lastDate = lastDate
    }
  }

  /// Model-specific fields (e.g. churn-logit's features and scaling): the model file's own
  /// JSON value type, keys sorted when decoded.
  public typealias JSONValue = CLVModels.JSONValue
}

// MARK: - Purchase models

extension RunFile {
  /// Holdout accuracy of a purchase model: conditional expected purchases in (D, E] against the
  /// actual purchases, per customer.
  public struct Holdout: Codable, Sendable, Equatable {
    /// Mean absolute error per customer, mean |ŷᵢ − yᵢ|.
    public var mae: Double
    /// Root mean squared error per customer, √(mean (ŷᵢ − yᵢ)²).
    public var rmse: Double
    /// Σ ŷᵢ: conditional expected holdout purchases, summed over customers.
    public var predictedTotal: Double
    /// Σ yᵢ: actual holdout purchases.
    public var actualTotal: Double
    /// Mean signed error per customer, mean (ŷᵢ − yᵢ) = (predictedTotal − actualTotal) / n.
    public var bias: Double
    /// Customers scored (n).
    public var customers: Int?
    /// Mean predicted and actual holdout purchases by calibration frequency 0, 1, …, 6, "7+"
    /// ([FHL2005a] Fig. 3).
    public var conditionalExpectation: [ConditionalExpectationRow]?
    /// Cumulative repeat purchases per period, actual and model-expected, across calibration
    /// and holdout ([FHL2005a] Fig. 2).
    public var tracking: Tracking?
    /// The same accuracy measures per acquisition cohort (month of first purchase).
    public var cohorts: [CohortRow]?
    /// Akaike information criterion of the calibration fit, 2k − 2 log L.
    public var aic: Double?
    /// Bayesian information criterion of the calibration fit, k ln n − 2 log L.
    public var bic: Double?

    public init(
      mae: Double, rmse: Double, predictedTotal: Double, actualTotal: Double, bias: Double,
      customers: Int? = nil, conditionalExpectation: [ConditionalExpectationRow]? = nil,
      tracking: Tracking? = nil, cohorts: [CohortRow]? = nil, aic: Double? = nil,
      bic: Double? = nil
    ) {
      self.mae = mae
      self.rmse = rmse
      self.predictedTotal = predictedTotal
      self.actualTotal = actualTotal
      self.bias = bias
      self.customers = customers
      self.conditionalExpectation = conditionalExpectation
      self.tracking = tracking
      self.cohorts = cohorts
      self.aic = aic
      self.bic = bic
    }
  }

  /// One row of the conditional-expectation table.
  public struct ConditionalExpectationRow: Codable, Sendable, Equatable {
    /// Calibration repeat frequency: `"0"`, `"1"`, …, `"6"`, `"7+"`.
    public var frequency: String
    /// Customers with that calibration frequency.
    public var customers: Int
    /// Mean conditional expected holdout purchases of these customers.
    public var predicted: Double
    /// Mean actual holdout purchases of these customers.
    public var actual: Double

    public init(frequency: String, customers: Int, predicted: Double, actual: Double) {
      self.frequency = frequency
      self.customers = customers
      self.predicted = predicted
      self.actual = actual
    }
  }

  /// The tracking series: cumulative repeat purchases at the end of each period.
  public struct Tracking: Codable, Sendable, Equatable {
    /// The calibration end D, in periods since ``DataInfo/firstPurchase`` (e.g. 39 weeks).
    public var calibrationEnd: Double
    /// One point per period, in increasing `period`.
    public var points: [TrackingPoint]

    public init(calibrationEnd: Double, points: [TrackingPoint]) {
      self.calibrationEnd = calibrationEnd
      self.points = points
    }
  }

  /// Cumulative repeat purchases up to the end of `period`.
  public struct TrackingPoint: Codable, Sendable, Equatable {
    /// Periods since the first purchase day in the data (1, 2, …).
    public var period: Double
    /// Actual cumulative repeat purchases of the calibration customers.
    public var actualCumulative: Double
    /// Model-expected cumulative repeat purchases (unconditional, summed over customers by
    /// their acquisition time, [FHL2005a] Fig. 2).
    public var expectedCumulative: Double

    public init(period: Double, actualCumulative: Double, expectedCumulative: Double) {
      self.period = period
      self.actualCumulative = actualCumulative
      self.expectedCumulative = expectedCumulative
    }
  }

  /// Holdout accuracy for one acquisition cohort.
  public struct CohortRow: Codable, Sendable, Equatable {
    /// Month of first purchase, `yyyy-MM`.
    public var cohort: String
    public var customers: Int
    public var mae: Double
    public var rmse: Double
    public var predictedTotal: Double
    public var actualTotal: Double

    public init(
      cohort: String, customers: Int, mae: Double, rmse: Double, predictedTotal: Double,
      actualTotal: Double
    ) {
      self.cohort = cohort
      self.customers = customers
      self.mae = mae
      self.rmse = rmse
      self.predictedTotal = predictedTotal
      self.actualTotal = actualTotal
    }
  }
}

// MARK: - Churn

extension RunFile {
  /// How a churn score was kept out of sample.
  public enum Validation: String, Codable, Sendable, Equatable {
    /// A purchase model fitted on the calibration period, scored on the holdout.
    case holdout
    /// churn-logit trained on the window shifted back by the holdout length, scored at D.
    case shiftedWindow = "shifted-window"
    /// churn-logit scored by 5-fold cross-validation by customer (seeded).
    case crossValidation = "cross-validation"
  }

  /// Classification of the label "no purchase in the holdout" by a churn score.
  public struct Churn: Codable, Sendable, Equatable {
    /// Area under the ROC curve (probability that a random churner scores above a random
    /// non-churner; ties count one half).
    public var auc: Double
    /// Mean negative log-likelihood, −mean(yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)) (natural log).
    public var logLoss: Double
    /// Brier score, mean (pᵢ − yᵢ)².
    public var brier: Double
    /// Customers scored.
    public var customers: Int?
    /// Share of scored customers who churned (bought nothing in the holdout).
    public var churnRate: Double?
    /// What was scored, e.g. `"1 - P(alive)"` or `"P(no purchase in holdout)"`.
    public var score: String?
    /// ROC curve from (0, 0) to (1, 1), downsampled to at most a few hundred points.
    public var roc: [ROCPoint]?
    /// Ten deciles of the score, highest risk first.
    public var lift: [LiftRow]?
    /// Ten bins of the predicted probability, lowest first.
    public var calibration: [CalibrationBin]?
    /// How the score was kept out of sample.
    public var validation: Validation

    public init(
      auc: Double, logLoss: Double, brier: Double, customers: Int? = nil,
      churnRate: Double? = nil, score: String? = nil, roc: [ROCPoint]? = nil,
      lift: [LiftRow]? = nil, calibration: [CalibrationBin]? = nil, validation: Validation
    ) {
      self.auc = auc
      self.logLoss = logLoss
      self.brier = brier
      self.customers = customers
      self.churnRate = churnRate
      self.score = score
      self.roc = roc
      self.lift = lift
      self.calibration = calibration
      self.validation = validation
    }
  }

  /// A point of the ROC curve.
  public struct ROCPoint: Codable, Sendable, Equatable {
    /// False-positive rate (share of non-churners flagged).
    public var fpr: Double
    /// True-positive rate (share of churners flagged).
    public var tpr: Double

    public init(fpr: Double, tpr: Double) {
      self.fpr = fpr
      self.tpr = tpr
    }
  }

  /// One decile of the lift table.
  public struct LiftRow: Codable, Sendable, Equatable {
    /// 1 (highest scores) … 10 (lowest).
    public var decile: Int
    public var customers: Int
    /// Observed churn rate in the decile.
    public var churnRate: Double
    /// churnRate divided by the overall churn rate.
    public var lift: Double
    /// Share of all churners captured by deciles 1 … `decile`, when given.
    public var cumulativeCapture: Double?

    public init(
      decile: Int, customers: Int, churnRate: Double, lift: Double,
      cumulativeCapture: Double? = nil
    ) {
      self.decile = decile
      self.customers = customers
      self.churnRate = churnRate
      self.lift = lift
      self.cumulativeCapture = cumulativeCapture
    }
  }

  /// One bin of the calibration (reliability) table.
  public struct CalibrationBin: Codable, Sendable, Equatable {
    /// Bin bounds of the predicted probability, [lower, upper).
    public var lower: Double
    public var upper: Double
    public var customers: Int
    /// Mean predicted churn probability in the bin.
    public var predicted: Double
    /// Observed churn rate in the bin.
    public var actual: Double

    public init(lower: Double, upper: Double, customers: Int, predicted: Double, actual: Double) {
      self.lower = lower
      self.upper = upper
      self.customers = customers
      self.predicted = predicted
      self.actual = actual
    }
  }
}

// MARK: - Spend, P(alive), ranking

extension RunFile {
  /// Gamma-Gamma: predicted against actual mean spend per purchase in the holdout, over the
  /// customers who bought in the holdout (and had a repeat purchase in calibration).
  public struct Spend: Codable, Sendable, Equatable {
    /// Mean conditional expected spend per purchase.
    public var predictedMean: Double
    /// Mean actual spend per purchase in the holdout.
    public var actualMean: Double
    /// Customers compared.
    public var customers: Int
    /// Mean absolute error per customer, when given.
    public var mae: Double?
    /// The same comparison in bins of predicted spend (quantiles, lowest first).
    public var bins: [SpendBin]?

    public init(
      predictedMean: Double, actualMean: Double, customers: Int, mae: Double? = nil,
      bins: [SpendBin]? = nil
    ) {
      self.predictedMean = predictedMean
      self.actualMean = actualMean
      self.customers = customers
      self.mae = mae
      self.bins = bins
    }
  }

  /// One bin of the binned spend comparison.
  public struct SpendBin: Codable, Sendable, Equatable {
    /// A short label, e.g. `"Q1"` or `"< 25"`.
    public var label: String
    public var customers: Int
    public var predictedMean: Double
    public var actualMean: Double

    public init(label: String, customers: Int, predictedMean: Double, actualMean: Double) {
      self.label = label
      self.customers = customers
      self.predictedMean = predictedMean
      self.actualMean = actualMean
    }
  }

  /// One bin of the P(alive) histogram, [lower, upper) (the last bin includes 1).
  public struct HistogramBin: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var customers: Int
    /// Of these, customers who bought in the holdout, when given.
    public var holdoutPurchasers: Int?

    public init(lower: Double, upper: Double, customers: Int, holdoutPurchasers: Int? = nil) {
      self.lower = lower
      self.upper = upper
      self.customers = customers
      self.holdoutPurchasers = holdoutPurchasers
    }
  }

  /// Models ordered best first.
  public struct Ranking: Codable, Sendable, Equatable {
    /// Purchase models by holdout MAE, lowest first.
    public var byMAE: [RankEntry]
    /// Churn scores by AUC, highest first.
    public var byAUC: [RankEntry]

    public init(byMAE: [RankEntry], byAUC: [RankEntry]) {
      self.byMAE = byMAE
      self.byAUC = byAUC
    }
  }

  /// A model and its value on the ranked measure.
  public struct RankEntry: Codable, Sendable, Equatable {
    public var model: String
    public var value: Double

    public init(model: String, value: Double) {
      self.model = model
      self.value = value
    }
  }
}

// MARK: - Reading and writing

extension RunFile {
  /// Decodes and checks a run file.
  ///
  /// - Parameters:
  ///   - data: the JSON bytes.
  ///   - file: the file name used in error messages.
  /// - Throws: ``DataError/invalidFile(file:reason:)`` when the bytes are not JSON, a field is
  ///   missing or has the wrong type, the schema is not ``currentSchema``, there are no models,
  ///   or a value is out of its range (a probability outside [0, 1], a negative count or error).
  public static func decode(_ data: Data, file: String) throws -> RunFile {
    let run: RunFile
    do {
      run = try JSONDecoder().decode(RunFile.self, from: data)
    } catch let error as DecodingError {
      throw DataError.invalidFile(file: file, reason: "not a run file: \(describe(error))")
    } catch {
      throw DataError.invalidFile(file: file, reason: "not a run file: \(error)")
    }
    try run.check(file: file)
    return run
  }

  /// The file as pretty-printed JSON with sorted keys (deterministic), ending in a newline.
  public func encoded() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }

  /// The largest magnitude of a count, mean or error in a run file (10¹⁵): no data clvkit reads
  /// has more purchases or larger amounts, and charts need scales of double precision.
  static let largestMeasure = 1e15

  /// Checks what the decoder cannot: the schema, at least one model, the data's dates (valid,
  /// calibration end before observation end) and unit, each model's key and unit, and value
  /// ranges (probabilities in [0, 1], counts, means and errors finite within ±10¹⁵).
  func check(file: String) throws {
    func fail(_ reason: String) -> DataError { .invalidFile(file: file, reason: reason) }
    guard schema == RunFile.currentSchema else {
      throw fail("schema '\(schema)' is not supported (expected '\(RunFile.currentSchema)')")
    }
    guard !models.isEmpty else { throw fail("'models' is empty") }
    // The data: valid dates in order, a known unit.
    let calibrationDay = Day(iso: data.calibrationEnd)
    let observationDay = Day(iso: data.observationEnd)
    guard let calibrationDay else {
      throw fail("data.calibrationEnd '\(clipped(data.calibrationEnd))' is not a date yyyy-MM-dd")
    }
    guard let observationDay else {
      throw fail("data.observationEnd '\(clipped(data.observationEnd))' is not a date yyyy-MM-dd")
    }
    guard calibrationDay < observationDay else {
      throw fail(
        "data.calibrationEnd \(data.calibrationEnd) is not before data.observationEnd "
          + "\(data.observationEnd)")
    }
    if let first = data.firstPurchase {
      guard let day = Day(iso: first), day <= calibrationDay else {
        throw fail(
          "data.firstPurchase '\(clipped(first))' is not a date yyyy-MM-dd on or before "
            + "data.calibrationEnd")
      }
    }
    guard TimeUnit(rawValue: data.unit) != nil else {
      throw fail("data.unit '\(clipped(data.unit))' is not a time unit (day, week, month)")
    }
    guard data.customers >= 0 else { throw fail("data.customers \(data.customers) is negative") }
    for (index, model) in models.enumerated() {
      let at = "models[\(index)] (\(clipped(model.model)))"
      guard ModelEvaluation.modelKeys.contains(model.model) else {
        throw fail(
          "models[\(index)].model '\(clipped(model.model))' is not a model (expected one of "
            + ModelEvaluation.modelKeys.joined(separator: ", ") + ")")
      }
      if let unit = model.unit, TimeUnit(rawValue: unit) == nil, unit != "opportunity" {
        throw fail("\(at): unit '\(clipped(unit))' is not a time unit (day, week, month)")
      }
      for (name, value) in model.parameters where !value.isFinite {
        throw fail("\(at): parameter '\(name)' is not finite")
      }
      if let holdout = model.holdout {
        guard holdout.mae >= 0, holdout.rmse >= 0 else {
          throw fail("\(at): holdout mae and rmse must not be negative")
        }
        var measures: [(String, Double)] = [
          ("holdout.mae", holdout.mae), ("holdout.rmse", holdout.rmse),
          ("holdout.predictedTotal", holdout.predictedTotal),
          ("holdout.actualTotal", holdout.actualTotal), ("holdout.bias", holdout.bias),
        ]
        for (i, row) in (holdout.conditionalExpectation ?? []).enumerated() {
          measures.append(("holdout.conditionalExpectation[\(i)].predicted", row.predicted))
          measures.append(("holdout.conditionalExpectation[\(i)].actual", row.actual))
        }
        for (i, point) in (holdout.tracking?.points ?? []).enumerated() {
          measures.append(("holdout.tracking.points[\(i)].period", point.period))
          measures.append(
            ("holdout.tracking.points[\(i)].actualCumulative", point.actualCumulative))
          measures.append(
            ("holdout.tracking.points[\(i)].expectedCumulative", point.expectedCumulative))
        }
        for (i, row) in (holdout.cohorts ?? []).enumerated() {
          measures.append(("holdout.cohorts[\(i)].predictedTotal", row.predictedTotal))
          measures.append(("holdout.cohorts[\(i)].actualTotal", row.actualTotal))
        }
        for (name, value) in measures where !(abs(value) <= Self.largestMeasure) {
          throw fail("\(at): \(name) = \(value) is not a finite number within ±1e15")
        }
      }
      if let spend = model.spend {
        var measures = [
          ("spend.predictedMean", spend.predictedMean), ("spend.actualMean", spend.actualMean),
        ]
        for (i, bin) in (spend.bins ?? []).enumerated() {
          measures.append(("spend.bins[\(i)].predictedMean", bin.predictedMean))
          measures.append(("spend.bins[\(i)].actualMean", bin.actualMean))
        }
        for (name, value) in measures where !(abs(value) <= Self.largestMeasure) {
          throw fail("\(at): \(name) = \(value) is not a finite number within ±1e15")
        }
      }
      if let churn = model.churn {
        for (name, value) in [("auc", churn.auc), ("brier", churn.brier)]
        where !(0...1).contains(value) {
          throw fail("\(at): churn.\(name) = \(value) is outside [0, 1]")
        }
        guard churn.logLoss >= 0 else { throw fail("\(at): churn.logLoss is negative") }
        for point in churn.roc ?? []
        where !(0...1).contains(point.fpr) || !(0...1).contains(point.tpr) {
          throw fail("\(at): churn.roc has a point outside the unit square")
        }
      }
      for bin in model.pAliveHistogram ?? [] where bin.customers < 0 || bin.upper < bin.lower {
        throw fail("\(at): pAliveHistogram has a bin with negative count or reversed bounds")
      }
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { key in
        key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
      }.joined()
      return keys.isEmpty ? "top level" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
    }
    switch error {
    case .keyNotFound(let key, let context):
      let parent = path(context)
      return "missing field '\(key.stringValue)' at \(parent)"
    case .typeMismatch(let type, let context):
      return "\(path(context)): expected \(type)"
    case .valueNotFound(let type, let context):
      return "\(path(context)): expected \(type), found null"
    case .dataCorrupted(let context):
      let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
      return "\(path(context)): \(context.debugDescription)\(underlying)"
    @unknown default:
      return "\(error)"
    }
  }
}

/// A value for an error message: at most 80 characters (longer ones end in "…").
func clipped(_ value: String) -> String {
  value.count <= 80 ? value : String(value.prefix(80)) + "…"
}
