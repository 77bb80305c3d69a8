import CLVData
import CLVModels
import CLVNumerics

extension SubscriberScoreTable {
  /// The parameter draws of a contractual model for per-subscriber intervals.
  public struct IntervalRequest: Sendable {
    /// The coverage, 0 < level < 1.
    public var level: Double
    /// The model at each draw.
    public var models: [any ContractualModel]

    public init(level: Double, models: [any ContractualModel]) {
      precondition(level > 0 && level < 1, "0 < level < 1")
      precondition(!models.isEmpty, "at least one draw")
      self.level = level
      self.models = models
    }

    /// `count` draws of `model`'s parameters from the asymptotic normal of its log-parameters
    /// (``ParameterDraws/init(model:count:seed:)``: γ, δ of the sBG, and c of the BdW, are
    /// positive, so the log scale keeps every draw valid).
    /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without a recorded
    ///   covariance.
    public static func asymptotic(
      level: Double, count: Int, seed: UInt64, model: any ContractualModel
    ) throws -> IntervalRequest {
      IntervalRequest(
        level: level,
        models: try ParameterDraws(model: model, count: count, seed: seed)
          .models(like: model, as: (any ContractualModel).self))
    }
  }

  /// Per-subscriber intervals of the projections: `low[c][i]`, `high[c][i]` for column c of
  /// ``ScoreColumns/subscriberPredictionsWithIntervals`` (retention_next, p_active_horizon,
  /// expected_periods_horizon, derl) and row i; nil where the point value is empty (a
  /// cancelled subscriber's retention_next, derl without a discount rate).
  ///
  /// Each projection is evaluated at every parameter draw and the interval is the equal-tailed
  /// ``PercentileInterval`` of those values ([KTW2000]; [HF1996] definition 7), as for
  /// `clv score --intervals` with a purchase model. Computed once per distinct number of
  /// renewals (the projections of active subscribers depend on nothing else); a cancelled
  /// subscriber's projections are 0 at every draw.
  public struct Intervals: Sendable, Equatable {
    public var level: Double
    public var draws: Int
    public var low: [[Double?]]
    public var high: [[Double?]]
  }

  /// The intervals of `rows` (see ``Intervals``).
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` for a projection that is not finite
  ///   at a draw.
  static func intervals(
    of rows: [Row], request: IntervalRequest, horizon: Int, discountRate: Double
  ) throws -> Intervals {
    let columns = ScoreColumns.subscriberPredictionsWithIntervals.count
    var bounds: [Int: [(low: Double, high: Double)]] = [:]
    let draws = request.models.count
    var values = [[Double]](repeating: [Double](repeating: 0, count: draws), count: columns)
    for a in Set(rows.lazy.filter(\.active).map(\.renewals)).sorted() {
      for (d, model) in request.models.enumerated() {
        let p = try projections(model, renewals: a, horizon: horizon, discountRate: discountRate)
        values[0][d] = p.retention
        values[1][d] = p.probabilityActive
        values[2][d] = p.expectedPeriods
        values[3][d] = p.derl ?? 0
      }
      bounds[a] = values.map { PercentileInterval.of($0, level: request.level) }
    }
    var low = [[Double?]](repeating: [], count: columns)
    var high = [[Double?]](repeating: [], count: columns)
    for row in rows {
      for c in 0..<columns {
        let empty = (c == 0 && !row.active) || (c == 3 && row.derl == nil)
        if empty {
          low[c].append(nil)
          high[c].append(nil)
        } else if let bound = bounds[row.renewals], row.active {
          low[c].append(bound[c].low)
          high[c].append(bound[c].high)
        } else {
          low[c].append(0)
          high[c].append(0)
        }
      }
    }
    return Intervals(level: request.level, draws: draws, low: low, high: high)
  }
}
