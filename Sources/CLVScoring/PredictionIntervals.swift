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
    /// The purchase model at each draw (empty for a model with covariates).
    public var transactions: [any TransactionModel]
    /// The model with covariates at each draw, nil for a model without: each customer is then
    /// scored with the draw's θ(z) for their covariates z.
    public var covariateModels: [any CovariateTransactionModel]?
    public var spend: [any SpendModel]?
    /// The number of draws.
    public var count: Int { covariateModels?.count ?? transactions.count }

    public init(level: Double, transactions: [any TransactionModel], spend: [any SpendModel]?) {
      precondition(level > 0 && level < 1, "0 < level < 1")
      precondition(!transactions.isEmpty, "at least one draw")
      precondition(spend == nil || spend!.count == transactions.count, "one spend draw per draw")
      self.level = level
      self.transactions = transactions
      self.covariateModels = nil
      self.spend = spend
    }

    /// The request for a model with covariates drawn as `covariateModels`.
    public init(
      level: Double, covariateModels: [any CovariateTransactionModel], spend: [any SpendModel]?
    ) {
      precondition(level > 0 && level < 1, "0 < level < 1")
      precondition(!covariateModels.isEmpty, "at least one draw")
      precondition(
        spend == nil || spend!.count == covariateModels.count, "one spend draw per draw")
      self.level = level
      self.transactions = []
      self.covariateModels = covariateModels
      self.spend = spend
    }

    /// The request for `count` draws of a model with covariates (its parameters and
    /// coefficients jointly, ``ParameterDraws/init(model:count:seed:)``) and of `spend`: the
    /// purchase model's draws from `seed`, the spend model's from `seed + 1`.
    /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without a recorded
    ///   covariance.
    public static func asymptotic(
      level: Double, count: Int, seed: UInt64, covariateModel: any CovariateTransactionModel,
      spend: (any SpendModel)?
    ) throws -> Request {
      let models = try ParameterDraws(model: covariateModel, count: count, seed: seed)
        .covariateModels(like: covariateModel)
      let spendDraws = try spend.map { spend in
        try ParameterDraws(model: spend, count: count, seed: seed &+ 1)
          .models(like: spend, as: (any SpendModel).self)
      }
      return Request(level: level, covariateModels: models, spend: spendDraws)
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
  /// - Complexity: O(distinct (x, tₓ, T) × draws) evaluations of P(alive) and O(distinct rows
  ///   × draws) of the mean spend (``init(rows:groups:transactions:spend:level:horizon:discountRate:margin:)``).
  /// - Parameter covariates: for a request of a model with covariates
  ///   (``Request/covariateModels``), each row's covariate vector z: the rows are grouped by z
  ///   and each group scored at each draw's θ(z), so the work is done once per distinct
  ///   (x, tₓ, T, z).
  public init(
    rows: [RFMSummary.Row], request: Request, covariates: [[Double]]? = nil, horizon: Double,
    discountRate: Double = 0, margin: Double = 1
  ) throws {
    if let drawn = request.covariateModels {
      guard let covariates, covariates.count == rows.count else {
        preconditionFailure("a model with covariates needs one covariate vector per row")
      }
      let (vectors, members) = CovariateGroups.distinct(covariates)
      var groups = [Int](repeating: 0, count: rows.count)
      for (g, indices) in members.enumerated() { for i in indices { groups[i] = g } }
      let transactions = vectors.map { z in drawn.map { $0.transactionModel(for: z) } }
      try self.init(
        rows: rows, groups: groups, transactions: transactions, spend: request.spend,
        level: request.level, horizon: horizon, discountRate: discountRate, margin: margin)
    } else {
      try self.init(
        rows: rows, groups: nil, transactions: [request.transactions], spend: request.spend,
        level: request.level, horizon: horizon, discountRate: discountRate, margin: margin)
    }
  }

  /// The intervals of every row of `rows`, each row scored by the purchase model of its group:
  /// `transactions[g][d]` is group g's model at draw d (e.g. for a model with covariates, the
  /// customers with covariate vector z_g at the draw's parameters), `spend[d]` the spend model
  /// at draw d.
  ///
  /// The work is done once per distinct value of what each prediction depends on, so
  /// customers with the same inputs get the same interval, exactly as if computed one by one:
  /// - P(alive), expected purchases and P(no purchase) per distinct (group, x, tₓ, T): they do
  ///   not depend on the spend;
  /// - the expected spend per distinct (x, m̄), the Gamma-Gamma's conditioning statistics
  ///   ([FH2013] eq. (5));
  /// - CLV per distinct (group, x, tₓ, T, m̄): at each draw the draw's mean spend times the
  ///   history's discounted purchases at that draw (``Scorer/customerValue(average:discountedPurchases:)``).
  ///
  /// - Parameter groups: each row's group (nil: all in group 0).
  /// - Throws: ``ModelError/nonFinite(model:quantity:)`` naming a customer whose prediction is
  ///   not finite at some draw.
  /// - Complexity: O(distinct (x, tₓ, T) × draws) evaluations of P(alive) (the ₂F₁ terms once
  ///   per distinct (x, T) and draw, as ``Scorer``) and O(distinct rows × draws) of the mean
  ///   spend, in parallel chunks.
  public init(
    rows: [RFMSummary.Row], groups: [Int]?, transactions: [[any TransactionModel]],
    spend: [any SpendModel]?, level: Double, horizon: Double, discountRate: Double = 0,
    margin: Double = 1
  ) throws {
    precondition(level > 0 && level < 1, "0 < level < 1")
    precondition(!transactions.isEmpty && !transactions[0].isEmpty, "at least one draw")
    let draws = transactions[0].count
    precondition(transactions.allSatisfy { $0.count == draws }, "one model per group and draw")
    precondition(spend == nil || spend!.count == draws, "one spend draw per draw")
    precondition(groups == nil || groups!.count == rows.count, "one group per row")
    let layout = DistinctLayout(rows: rows, groups: groups, withSpend: spend != nil)
    // One row per distinct (group, x, T): what each draw's scorer tabulates
    // (``Scorer/prepare(for:)``).
    var scorers: [[Scorer]] = transactions.map { groupDraws in
      groupDraws.indices.map { d in
        Scorer(
          transactions: groupDraws[d], spend: spend?[d], horizon: horizon,
          discountRate: discountRate, margin: margin)
      }
    }
    for (g, pairRows) in layout.pairRows(rows, groupCount: transactions.count).enumerated() {
      for d in 0..<draws { scorers[g][d].prepare(for: pairRows) }
    }
    let bounds = try Self.distinctBounds(
      rows, layout: layout, scorers: scorers, spend: spend, level: level)
    func expand(_ low: [Double], _ high: [Double], _ of: [Int]) -> Bounds {
      Bounds(low: of.map { low[$0] }, high: of.map { high[$0] })
    }
    self.level = level
    self.draws = draws
    probabilityAlive = expand(bounds.history[0].low, bounds.history[0].high, layout.historyOf)
    expectedPurchases = expand(bounds.history[1].low, bounds.history[1].high, layout.historyOf)
    probabilityOfNoPurchase = expand(
      bounds.history[2].low, bounds.history[2].high, layout.historyOf)
    if spend != nil {
      expectedSpend = expand(bounds.spend.low, bounds.spend.high, layout.spendOf)
      clv = expand(bounds.clv.low, bounds.clv.high, layout.rowOf)
    } else {
      expectedSpend = nil
      clv = nil
    }
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

}
