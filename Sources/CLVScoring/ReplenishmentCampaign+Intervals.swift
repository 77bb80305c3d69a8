import CLVData
import CLVModels

extension ReplenishmentCampaign {
  /// The value column of a replenishment list that `clv target --intervals` gives an
  /// interval; the list's total is of it.
  public static let intervalColumns = ["clv"]

  /// Intervals of `entries`' clv and of the list's total clv over the draws of `request` (the
  /// purchase and spend models at each parameter draw, ``PredictionIntervals/Request``):
  ///
  ///     at draw d:  clv_d(i) = the clv of customer i's history (x, tₓ, T, monetary value)
  ///                            under the d-th purchase and spend models, as clv score computes it
  ///     total_d   = Σ over the list of clv_d(i)
  ///
  /// Every customer is evaluated at the same draws, so the total's interval keeps the
  /// customers' common dependence on the parameters (all rise and fall together): it is the
  /// interval of the total at each draw, not the sum of the rows' bounds ([KTW2000]). The list
  /// itself (who is due, in what order) is held fixed.
  ///
  /// Before drawing, each entry's clv is recomputed at the point estimates (`model`, `spend`)
  /// and compared with the scores file's: the models, horizon, discount rate and margin must be
  /// those the scores were made with.
  ///
  /// - Parameters:
  ///   - horizon, discountRate, margin: as for ``Scorer`` (the horizon in the model's unit).
  ///   - file: the scores file, for errors.
  /// - Throws: ``DataError/invalidField(file:line:column:value:expected:)`` (exit 65) for an
  ///   entry without a history or a clv in the scores, or whose clv differs from the
  ///   recomputed one by more than 1e-9 relative; ``ScoringError/nonFinite(customerID:quantity:)``
  ///   for a clv that is not finite at a draw.
  public static func intervals(
    of entries: [ReplenishmentEntry], model: any TransactionModel, spend: any SpendModel,
    request: PredictionIntervals.Request, horizon: Double, discountRate: Double, margin: Double,
    file: String
  ) throws -> ListIntervals {
    guard let spendDraws = request.spend else {
      preconditionFailure("replenishment intervals need the spend model's draws")
    }
    var rows: [RFMSummary.Row] = []
    var point = Scorer(
      transactions: model, spend: spend, horizon: horizon, discountRate: discountRate,
      margin: margin)
    for entry in entries {
      let record = entry.record
      guard let row = record.summaryRow, let clv = record.clv else {
        throw DataError.invalidField(
          file: file, line: record.line,
          column: record.summaryRow == nil ? "frequency" : "clv", value: "",
          expected: "a value (intervals recompute the clv from the customer's history)")
      }
      let recomputed = point.score(row).customerValue ?? .nan
      guard abs(recomputed - clv) <= 1e-9 * abs(clv) else {
        throw DataError.invalidField(
          file: file, line: record.line, column: "clv", value: NumberText.string(clv),
          expected: "the clv of the given models over the given horizon, discount rate and "
            + "margin (recomputed: \(NumberText.string(recomputed))): give the model files and "
            + "options the scores were made with")
      }
      rows.append(row)
    }
    var scorers = request.transactions.indices.map {
      Scorer(
        transactions: request.transactions[$0], spend: spendDraws[$0], horizon: horizon,
        discountRate: discountRate, margin: margin)
    }
    return try ListIntervals(
      level: request.level, draws: scorers.count, customerIDs: rows.map(\.customerID),
      columnNames: intervalColumns, totalColumn: 0,
      total: entries.reduce(0) { $0 + ($1.record.clv ?? 0) }
    ) { row, values in
      for d in scorers.indices {
        values[0][d] = scorers[d].score(rows[row]).customerValue ?? .nan
      }
    }
  }
}
