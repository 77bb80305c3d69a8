import CLVData
import CLVModels

/// The score table of `clv score` with a contractual model (sBG, BdW): one row per subscriber,
/// columns ``ScoreColumns/subscriber``.
///
/// As of period A, a subscriber who started at s is active when the end period is empty or
/// after A; `renewals` a is then A − s (renewal decisions survived), and the projections are
/// conditional on T > a:
/// - `retention_next` = S(a + 1)/S(a), the probability of renewing at the next decision
///   ([FH2007] eq. (2) for a cohort of tenure a);
/// - `p_active_horizon` = S(a + h)/S(a), still subscribed h periods from now;
/// - `expected_periods_horizon` = Σ_{k=1}^{h} S(a + k)/S(a), further periods paid in the next h;
/// - `derl` = DERL(d | a), the discounted expected residual lifetime ([FH2010]), empty when the
///   discount rate is 0 (the undiscounted sum may be infinite).
///
/// A subscriber who cancelled (end ≤ A) has `renewals` = end − s − 1, `active` 0, the
/// projections 0 and `retention_next` empty. Subscribers who start after A are left out.
/// Projections are computed once per distinct number of renewals.
public struct SubscriberScoreTable: Sendable {
  /// One subscriber's row.
  public struct Row: Sendable, Equatable {
    public var subscriber: SubscriberData.Subscriber
    public var renewals: Int
    public var active: Bool
    public var retentionNext: Double?
    public var probabilityActive: Double
    public var expectedPeriods: Double
    public var derl: Double?
  }

  public let rows: [Row]
  public let modelID: String
  /// The as-of period A.
  public let asOf: Int
  /// Subscribers left out because they start after A.
  public let notStarted: Int
  /// Per-subscriber intervals of the projections; nil unless requested.
  public let intervals: Intervals?

  /// Scores every subscriber of `data` as of `asOf` (default: the data's last period).
  ///
  /// - Parameters:
  ///   - horizon: h, in periods (≥ 0).
  ///   - discountRate: d per period for `derl` (0: `derl` left empty).
  ///   - intervals: parameter draws for per-subscriber intervals (``Intervals``); nil for none.
  /// - Throws: ``DataError`` (exit 65) for data without subscribers (a cohort file) or an as-of
  ///   period before every start; ``ModelError`` for a projection that is not finite.
  public init(
    data: SubscriberData, model: any ContractualModel, asOf: Int? = nil, horizon: Int,
    discountRate: Double, intervals request: IntervalRequest? = nil
  ) throws {
    guard data.layout == .subscribers else {
      throw DataError.invalidFile(
        file: data.file,
        reason: "holds a cohort's survival counts, which have no subscribers to score; give one "
          + "row per subscriber (\(SubscriberData.subscriberColumns.joined(separator: ",")))")
    }
    let asOf = asOf ?? data.lastPeriod
    guard asOf >= data.firstPeriod else {
      throw DataError.invalidFile(
        file: data.file,
        reason: "as-of period \(asOf) is before the first start period \(data.firstPeriod)")
    }
    var cache: [Int: Projections] = [:]
    func projections(_ a: Int) throws -> Projections {
      if let known = cache[a] { return known }
      let values = try Self.projections(
        model, renewals: a, horizon: horizon, discountRate: discountRate)
      cache[a] = values
      return values
    }
    var rows: [Row] = []
    var notStarted = 0
    for subscriber in data.subscribers {
      guard subscriber.start <= asOf else {
        notStarted += 1
        continue
      }
      if let end = subscriber.end, end <= asOf {
        rows.append(
          Row(
            subscriber: subscriber, renewals: end - subscriber.start - 1, active: false,
            retentionNext: nil, probabilityActive: 0, expectedPeriods: 0,
            derl: discountRate > 0 ? 0 : nil))
      } else {
        let a = asOf - subscriber.start
        let values = try projections(a)
        rows.append(
          Row(
            subscriber: subscriber, renewals: a, active: true, retentionNext: values.retention,
            probabilityActive: values.probabilityActive, expectedPeriods: values.expectedPeriods,
            derl: values.derl))
      }
    }
    self.rows = rows
    modelID = type(of: model).modelID
    self.asOf = asOf
    self.notStarted = notStarted
    intervals = try request.map {
      try Self.intervals(of: rows, request: $0, horizon: horizon, discountRate: discountRate)
    }
  }

  /// The projections of an active subscriber after `renewals` renewals.
  struct Projections: Sendable {
    var retention: Double
    var probabilityActive: Double
    var expectedPeriods: Double
    var derl: Double?
  }

  /// The projections of `model` for a subscriber after `renewals` renewals (see
  /// ``SubscriberScoreTable`` for the formulas).
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` for a projection that is not finite.
  static func projections(
    _ model: any ContractualModel, renewals a: Int, horizon: Int, discountRate: Double
  ) throws -> Projections {
    let retention = model.retentionRate(a + 1)
    let alive = model.probabilityActive(after: horizon, renewals: a)
    var periods = 0.0
    for k in stride(from: 1, through: horizon, by: 1) {
      periods += model.probabilityActive(after: k, renewals: a)
    }
    let derl =
      discountRate > 0
      ? try model.discountedExpectedResidualLifetime(renewals: a, discountRate: discountRate)
      : nil
    for value in [retention, alive, periods] + (derl.map { [$0] } ?? []) where !value.isFinite {
      throw ModelError.nonFinite(
        model: type(of: model).modelName, quantity: "a projection after \(a) renewals")
    }
    return Projections(
      retention: retention, probabilityActive: alive, expectedPeriods: periods, derl: derl)
  }

  /// The CSV text: the header ``ScoreColumns/subscriber`` (and, with intervals,
  /// ``ScoreColumns/subscriberIntervals``) and one line per row (numbers in
  /// ``NumberText``'s one format, ids quoted by its one quoting writer).
  public var csvBytes: [UInt8] {
    var out: [UInt8] = []
    let header =
      ScoreColumns.subscriber + (intervals == nil ? [] : ScoreColumns.subscriberIntervals)
    out.append(contentsOf: Array((header.joined(separator: ",") + "\n").utf8))
    for (i, row) in rows.enumerated() {
      NumberText.appendField(row.subscriber.customerID, to: &out)
      out.append(44)
      NumberText.appendInteger(row.subscriber.start, to: &out)
      out.append(44)
      if let end = row.subscriber.end { NumberText.appendInteger(end, to: &out) }
      out.append(44)
      NumberText.appendInteger(row.renewals, to: &out)
      out.append(44)
      NumberText.appendInteger(row.active ? 1 : 0, to: &out)
      for value in [row.retentionNext, row.probabilityActive, row.expectedPeriods, row.derl] {
        out.append(44)
        if let value { NumberText.appendCompact(value, to: &out) }
      }
      out.append(44)
      NumberText.appendField(modelID, to: &out)
      if let intervals {
        for c in intervals.low.indices {
          for bound in [intervals.low[c][i], intervals.high[c][i]] {
            out.append(44)
            if let bound { NumberText.appendCompact(bound, to: &out) }
          }
        }
      }
      out.append(10)
    }
    return out
  }

  /// Writes the table to `out` (commit it afterwards).
  public func write(to out: AtomicOutput) throws {
    try out.write(bytes: csvBytes)
  }
}
