import CLVData
import CLVModels
import CLVNumerics

/// Per-customer intervals of the score table's predictions (P(alive), expected purchases,
/// P(no purchase), expected spend, CLV): each prediction evaluated at every parameter draw
/// (``ParameterDraws``), and the equal-tailed ``PercentileInterval`` of those values.
///
/// The intervals express the uncertainty of the estimated parameters only (a confidence
/// interval for the model's expectation given the customer's history), not the randomness of
/// the customer's future purchases: a customer's actual purchases fall outside the interval of
/// expected purchases far more often than 1 − level. The purchase model's and the spend
/// model's draws are independent (the models are fitted separately, the Gamma-Gamma model
/// assuming spend independent of the purchase process, [FH2013] section 2).
///
/// Computed once per distinct row (x, tₓ, T and, with a spend model, the monetary value):
/// customers with the same history get the same interval, exactly as if computed one by one.
public struct PredictionIntervals: Sendable, Equatable {
  /// Lower and upper bounds per customer, in row order.
  public struct Bounds: Sendable, Equatable {
    public var low: [Double]
    public var high: [Double]

    public init(low: [Double], high: [Double]) {
      self.low = low
      self.high = high
    }
  }

  /// What to draw: the purchase model at each draw and, for expected spend and CLV, the spend
  /// model at each draw (the same number of draws).
  public struct Request: Sendable {
    /// The coverage, 0 < level < 1 (e.g. 0.9 for the 5th and 95th percentiles).
    public var level: Double
    public var transactions: [any TransactionModel]
    public var spend: [any SpendModel]?

    public init(level: Double, transactions: [any TransactionModel], spend: [any SpendModel]?) {
      precondition(level > 0 && level < 1, "0 < level < 1")
      precondition(!transactions.isEmpty, "at least one draw")
      precondition(spend == nil || spend!.count == transactions.count, "one spend draw per draw")
      self.level = level
      self.transactions = transactions
      self.spend = spend
    }

    /// The request for `count` draws of `model` (and `spend`) from their asymptotic normals
    /// (``ParameterDraws/init(model:count:seed:)``): the purchase model's draws from `seed`,
    /// the spend model's from `seed + 1`.
    /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without a recorded
    ///   covariance.
    public static func asymptotic(
      level: Double, count: Int, seed: UInt64, model: any TransactionModel,
      spend: (any SpendModel)?
    ) throws -> Request {
      let transactions = try ParameterDraws(model: model, count: count, seed: seed)
        .models(like: model, as: (any TransactionModel).self)
      let spendDraws = try spend.map { spend in
        try ParameterDraws(model: spend, count: count, seed: seed &+ 1)
          .models(like: spend, as: (any SpendModel).self)
      }
      return Request(level: level, transactions: transactions, spend: spendDraws)
    }
  }

  public var level: Double
  public var draws: Int
  public var probabilityAlive: Bounds
  public var expectedPurchases: Bounds
  public var probabilityOfNoPurchase: Bounds
  /// Nil without a spend model.
  public var expectedSpend: Bounds?
  public var clv: Bounds?

  /// The intervals of every row of `rows` (times in the model's unit), the predictions as
  /// ``Scorer`` computes them over `horizon` (discounted at `discountRate`, times `margin`).
  ///
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` naming a customer whose prediction is
  ///   not finite at some draw.
  /// - Complexity: O(distinct rows × draws) model evaluations (the ₂F₁ terms once per
  ///   distinct (x, T) and draw, as ``Scorer``), in parallel chunks.
  public init(
    rows: [RFMSummary.Row], request: Request, horizon: Double, discountRate: Double = 0,
    margin: Double = 1
  ) throws {
    let withSpend = request.spend != nil
    // Distinct rows: the first row of each, and each row's distinct index.
    struct Key: Hashable {
      var frequency: Int
      var recency: UInt64
      var age: UInt64
      var money: UInt64
    }
    var index: [Key: Int] = [:]
    var representative: [Int] = []
    var distinctOf = [Int](repeating: 0, count: rows.count)
    for (i, row) in rows.enumerated() {
      let key = Key(
        frequency: row.frequency, recency: row.recency.bitPattern, age: row.age.bitPattern,
        money: withSpend ? row.monetaryValue.bitPattern : 0)
      if let existing = index[key] {
        distinctOf[i] = existing
      } else {
        index[key] = representative.count
        distinctOf[i] = representative.count
        representative.append(i)
      }
    }
    let distinctRows = representative.map { rows[$0] }
    // One row per distinct (x, T): what each draw's scorer tabulates (``Scorer/prepare(for:)``).
    struct Pair: Hashable {
      var frequency: Int
      var age: UInt64
    }
    var seenPairs = Set<Pair>()
    let pairRows = distinctRows.filter {
      seenPairs.insert(Pair(frequency: $0.frequency, age: $0.age.bitPattern)).inserted
    }.sorted { $0.frequency != $1.frequency ? $0.frequency < $1.frequency : $0.age < $1.age }
    var scorers: [Scorer] = []
    for d in request.transactions.indices {
      var scorer = Scorer(
        transactions: request.transactions[d], spend: request.spend?[d], horizon: horizon,
        discountRate: discountRate, margin: margin)
      scorer.prepare(for: pairRows)
      scorers.append(scorer)
    }
    let distinct = try Self.distinctBounds(
      distinctRows, scorers: scorers, level: request.level, withSpend: withSpend)
    func expand(_ column: Int) -> Bounds {
      Bounds(
        low: distinctOf.map { distinct.low[column][$0] },
        high: distinctOf.map { distinct.high[column][$0] })
    }
    level = request.level
    draws = request.transactions.count
    probabilityAlive = expand(0)
    expectedPurchases = expand(1)
    probabilityOfNoPurchase = expand(2)
    expectedSpend = withSpend ? expand(3) : nil
    clv = withSpend ? expand(4) : nil
  }

  /// Appends `,low,high` for each of ``ScoreColumns/predictionsWithIntervals`` of row `row`
  /// (empty spend and CLV bounds without a spend model), as the score table writes them.
  public func appendFields(row: Int, to out: inout ByteWriter) {
    let comma: UInt8 = 44
    func append(_ bounds: Bounds?) {
      out.append(comma)
      if let bounds { NumberText.appendCompact(bounds.low[row], to: &out) }
      out.append(comma)
      if let bounds { NumberText.appendCompact(bounds.high[row], to: &out) }
    }
    append(probabilityAlive)
    append(expectedPurchases)
    append(probabilityOfNoPurchase)
    append(expectedSpend)
    append(clv)
  }

  /// The bounds of each distinct row: `low[column][row]`, columns P(alive), expected
  /// purchases, P(no purchase), expected spend, CLV (the last two only `withSpend`).
  ///
  /// The rows are visited sorted by (x, T) in blocks, and each block draw by draw, so that one
  /// draw's per-(x, T) table stays in cache while its rows are scored.
  static func distinctBounds(
    _ rows: [RFMSummary.Row], scorers: [Scorer], level: Double, withSpend: Bool
  ) throws -> (low: [[Double]], high: [[Double]]) {
    let columns = withSpend ? 5 : 3
    let names = ["p_alive", "expected_purchases", "prob_no_purchase", "expected_spend", "clv"]
    let draws = scorers.count
    let n = rows.count
    let order = rows.indices.sorted {
      let (a, b) = (rows[$0], rows[$1])
      if a.frequency != b.frequency { return a.frequency < b.frequency }
      if a.age != b.age { return a.age < b.age }
      return $0 < $1
    }
    var low = [Double](repeating: 0, count: columns * n)
    var high = [Double](repeating: 0, count: columns * n)
    // The rows scored without their ids: passing a row copies its id, and retaining and
    // releasing the same strings from both threads, draws × rows times, costs more than the
    // scoring of a row (the ids name customers in errors only).
    let bare = order.map {
      let row = rows[$0]
      return RFMSummary.Row(
        customerID: "", frequency: row.frequency, recency: row.recency, age: row.age,
        monetaryValue: row.monetaryValue)
    }
    let block = 64
    let chunks = Parallel.chunks(count: n, minimumChunk: 1024)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    low.withUnsafeMutableBufferPointer { lowBuffer in
      high.withUnsafeMutableBufferPointer { highBuffer in
        let lowOut = Parallel.SendablePointer(lowBuffer.baseAddress)
        let highOut = Parallel.SendablePointer(highBuffer.baseAddress)
        Parallel.forEach(chunks) { chunk, range in
          var local = scorers
          // values[(c · block + k) · draws + d]: column c of the k-th row of the block at draw d.
          var values = [Double](repeating: 0, count: columns * block * draws)
          var start = range.lowerBound
          while start < range.upperBound {
            let end = Swift.min(start + block, range.upperBound)
            for d in 0..<draws {
              for k in 0..<(end - start) {
                let score = local[d].score(bare[start + k])
                values[k * draws + d] = score.probabilityAlive
                values[(block + k) * draws + d] = score.expectedPurchases
                values[(2 * block + k) * draws + d] = score.probabilityOfNoPurchase
                if withSpend {
                  values[(3 * block + k) * draws + d] = score.expectedSpend ?? .nan
                  values[(4 * block + k) * draws + d] = score.customerValue ?? .nan
                }
              }
            }
            for k in 0..<(end - start) {
              let r = order[start + k]
              for c in 0..<columns {
                let slice = ((c * block + k) * draws)..<((c * block + k + 1) * draws)
                if let bad = values[slice].first(where: { !$0.isFinite }) {
                  let model =
                    c >= 3
                    ? local[0].spend.map { type(of: $0).modelName } ?? "spend model"
                    : type(of: local[0].transactions).modelName
                  errors.record(
                    ModelError.nonFinite(
                      model: model,
                      quantity: "\(names[c]) of customer '\(rows[r].customerID)' at a "
                        + "parameter draw (\(bad))"), chunk: chunk)
                  return
                }
                let bounds = values.withUnsafeMutableBufferPointer { buffer in
                  PercentileInterval.of(
                    UnsafeMutableBufferPointer(rebasing: buffer[slice]), level: level)
                }
                lowOut.pointer![c * n + r] = bounds.low
                highOut.pointer![c * n + r] = bounds.high
              }
            }
            start = end
          }
        }
      }
    }
    if let error = errors.first { throw error }
    return (
      (0..<columns).map { Array(low[($0 * n)..<(($0 + 1) * n)]) },
      (0..<columns).map { Array(high[($0 * n)..<(($0 + 1) * n)]) }
    )
  }
}
