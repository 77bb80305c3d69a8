import CLVData
import CLVModels
import Foundation

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
    /// The interval of `predictedTotal` over parameter draws (`clv evaluate --intervals`):
    /// the uncertainty of the calibration fit's parameters, not of the purchases themselves.
    public var predictedTotalInterval: Interval?
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

  /// An equal-tailed percentile interval of a prediction over parameter draws
  /// (``PercentileInterval``).
  public struct Interval: Codable, Sendable, Equatable {
    /// The coverage, e.g. 0.9.
    public var level: Double
    public var low: Double
    public var high: Double
    /// The number of parameter draws.
    public var draws: Int

    public init(level: Double, low: Double, high: Double, draws: Int) {
      self.level = level
      self.low = low
      self.high = high
      self.draws = draws
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
