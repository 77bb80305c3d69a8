import CLVData
import CLVModels
import Foundation

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
    /// Purchase models by holdout MAE, lowest first (kept for readers of older files; the
    /// headline ranking is ``byRMSE``).
    public var byMAE: [RankEntry]
    /// Churn scores by AUC, highest first.
    public var byAUC: [RankEntry]
    /// Purchase models by holdout RMSE, lowest first: the measure `clv train --model auto`
    /// chooses by (``ModelSelection``); absent in older files.
    public var byRMSE: [RankEntry]?

    public init(byMAE: [RankEntry], byAUC: [RankEntry], byRMSE: [RankEntry]? = nil) {
      self.byMAE = byMAE
      self.byAUC = byAUC
      self.byRMSE = byRMSE
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
