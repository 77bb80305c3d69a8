import CLVData
import CLVModels
import Foundation

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
