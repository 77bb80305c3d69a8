import CLVData
import CLVModels

/// The per-customer model outputs of the score table's base columns, in row order.
public struct BaseScores: Sendable, Equatable {
  public var probabilityAlive: [Double] = []
  public var expectedPurchases: [Double] = []
  /// P(no purchase in the horizon).
  public var probabilityOfNoPurchase: [Double] = []
  /// Gamma-Gamma's conditional mean spend; nil entries without a spend model.
  public var expectedSpend: [Double?] = []
  /// nil entries (or an empty array) without a spend model.
  public var clv: [Double?] = []
  /// The model's expected time to the next purchase, in days (nil: the model has none).
  public var expectedWaitingDays: [Double?] = []
  /// Whether the waiting times come from a model with regular timing
  /// (``ModelPredictions/regularTiming``, e.g. (M)BG/CNBD-k): the segments date the next
  /// purchase by them (``CustomerFacts/waitingFromRegularTiming``).
  public var waitingFromRegularTiming = false
  /// From a churn model; nil without one.
  public var churnProbability: [Double]?

  public init() {}
}

/// Batch scoring: every customer's P(alive), expected purchases, P(no purchase), expected spend
/// and CLV, in parallel chunks, each value checked finite before it can be written.
public enum BatchScoring {
  /// The base scores of `rows` (times in the model's unit), computed in parallel chunks, each
  /// with a copy of one scorer prepared for all rows (``Scorer/prepare(for:)``).
  ///
  /// - Parameter modelUnit: the model's time unit, to express the expected time to the next
  ///   purchase in days (none for opportunities or without a unit).
  /// - Throws: `ModelError.nonFinite` naming the first customer (in row order) with a
  ///   non-finite score.
  public static func scores(
    _ rows: [RFMSummary.Row], scorer: Scorer, modelUnit: ModelUnit?
  ) throws -> BaseScores {
    struct Part {
      var alive: [Double] = []
      var expected: [Double] = []
      var noPurchase: [Double] = []
      var spend: [Double?] = []
      var clv: [Double?] = []
      var waiting: [Double?] = []
    }
    let transactions = scorer.transactions
    let spendModelName = scorer.spend.map { type(of: $0).modelName } ?? "spend model"
    let chunks = Parallel.chunks(count: rows.count)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    let parts = Parallel.Slots<Part>(count: chunks.count)
    // The per-(x, T) values once for all chunks (in parallel), not once per chunk: each chunk
    // scores with a copy of the prepared scorer (the same values, see `Scorer.prepare(for:)`).
    var prepared = scorer
    if chunks.count > 1 { prepared.prepare(for: rows) }
    Parallel.forEach(chunks) { chunk, range in
      var scorer = prepared
      var part = Part()
      for index in range {
        let row = rows[index]
        let score = scorer.score(row)
        let id = row.customerID
        func check(_ value: Double, _ name: String) throws {
          _ = try transactions.checkedFinite(value, "\(name) of customer '\(id)'")
        }
        // expected_spend is the spend model's own value: its error names that model.
        func checkSpend(_ value: Double) throws {
          guard value.isFinite else {
            throw ModelError.nonFinite(
              model: spendModelName, quantity: "expected_spend of customer '\(id)'")
          }
        }
        do {
          try check(score.probabilityAlive, "p_alive")
          try check(score.expectedPurchases, "expected_purchases")
          try check(score.probabilityOfNoPurchase, "prob_no_purchase")
          if let value = score.expectedSpend { try checkSpend(value) }
          if let value = score.customerValue { try check(value, "clv") }
        } catch {
          errors.record(error, chunk: chunk)
          return
        }
        part.alive.append(score.probabilityAlive)
        part.expected.append(score.expectedPurchases)
        part.noPurchase.append(score.probabilityOfNoPurchase)
        part.spend.append(score.expectedSpend)
        part.clv.append(score.customerValue)
        part.waiting.append(
          modelUnit?.timeUnit.flatMap { unit in
            transactions.expectedTimeToNextPurchase(for: row).map { $0 * unit.days }
          })
      }
      parts[chunk] = part
    }
    if let error = errors.first { throw error }
    var base = BaseScores()
    base.probabilityAlive.reserveCapacity(rows.count)
    base.expectedPurchases.reserveCapacity(rows.count)
    base.probabilityOfNoPurchase.reserveCapacity(rows.count)
    base.expectedSpend.reserveCapacity(rows.count)
    base.clv.reserveCapacity(rows.count)
    base.expectedWaitingDays.reserveCapacity(rows.count)
    // Each chunk's part is released once appended: the peak holds the scores about once.
    for chunk in chunks.indices {
      guard let part = parts[chunk] else { continue }
      parts[chunk] = nil
      base.probabilityAlive += part.alive
      base.expectedPurchases += part.expected
      base.probabilityOfNoPurchase += part.noPurchase
      base.expectedSpend += part.spend
      base.clv += part.clv
      base.expectedWaitingDays += part.waiting
    }
    return base
  }
}
