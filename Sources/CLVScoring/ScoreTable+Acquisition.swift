import CLVData
import CLVModels

/// What `clv score --cac FILE` adds to the score table: the CAC columns
/// (``ScoreColumns/acquisition``), one ``AcquisitionEconomics`` per customer with orders.
public struct AcquisitionColumns: Sendable, Equatable {
  /// In the table's row order (customers with orders; prospects get empty fields).
  public var customers: [AcquisitionEconomics]
  /// Customers with orders for whom the costs file has no CAC.
  public var withoutCost: Int

  public init(customers: [AcquisitionEconomics], withoutCost: Int) {
    self.customers = customers
    self.withoutCost = withoutCost
  }

  /// Appends `,cac,first_order_profit,margin_to_date,clv_to_cac,payback_days` of row `row`
  /// (empty fields for a value that is nil, and for a prospect: `row` past the customers).
  public func appendFields(row: Int, to bytes: inout ByteWriter) {
    let comma = UInt8(ascii: ",")
    guard row < customers.count else {
      for _ in ScoreColumns.acquisition { bytes.append(comma) }
      return
    }
    let c = customers[row]
    for value in [c.cac, c.firstOrderProfit, c.marginToDate, c.clvToCAC, c.paybackDays] {
      bytes.append(comma)
      if let value { NumberText.appendCompact(value, to: &bytes) }
    }
  }
}

extension ScoreTable {
  /// Adds the CAC columns: each customer's ``AcquisitionEconomics`` from its purchases in
  /// `log` up to the as-of date, its CAC in `costs`, the table's CLV and the models' expected
  /// margin M(t) = margin · E[Z] · E[Y(t)] over the horizon of `options`.
  ///
  /// - Parameters:
  ///   - log: the purchase days and amounts of the order log the table was scored from.
  ///   - attributes: customer id → value of the costs' key attribute (for a CAC by channel).
  ///   - model: the purchase model the table was scored with (the expected spend is the
  ///     table's: without a spend model there is no CLV, and clv_to_cac and a payback after
  ///     as-of stay empty).
  /// - Throws: ``ScoringError/invalidRules(_:)`` when the table has no as-of date (a summary
  ///   CSV: the CAC columns need the orders); `ModelError.nonFinite` naming the first customer
  ///   with a non-finite result.
  public mutating func addAcquisitionEconomics(
    costs: AcquisitionCosts, log: PurchaseLog, attributes: [String: String]? = nil,
    model: any TransactionModel, options: ScoringOptions
  ) throws {
    guard let asOf = segments?.rules.asOf else {
      throw ScoringError.invalidRules(
        "the CAC columns need an order log (the first order and the margin to date come from "
          + "its orders)")
    }
    let rows = self.rows
    let scores = self.scores
    let unitDays = self.unitDays
    let chunks = Parallel.chunks(count: rows.count, minimumChunk: 1024)
    let parts = Parallel.Slots<[AcquisitionEconomics]>(count: chunks.count)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    Parallel.forEach(chunks) { chunk, range in
      var part: [AcquisitionEconomics] = []
      part.reserveCapacity(range.count)
      for index in range {
        let row = rows[index]
        let purchases = log.customers[row.customerID] ?? .init(days: [], amounts: [])
        let first = purchases.days.first ?? asOf
        let cost = costs.cost(
          customerID: row.customerID, firstPurchase: first, attributes: attributes)
        let spendPerPurchase =
          scores.expectedSpend.indices.contains(index)
          ? scores.expectedSpend[index] : nil
        let expectedMargin = spendPerPurchase.map { z in
          { (t: Double) in options.margin * z * model.expectedPurchases(in: t, for: row) }
        }
        let economics = AcquisitionEconomics.of(
          purchases: purchases, asOf: asOf, cac: cost, margin: options.margin,
          clv: scores.clv.indices.contains(index) ? scores.clv[index] : nil,
          horizon: options.horizon, unitDays: unitDays, expectedMargin: expectedMargin)
        let values = [
          economics.firstOrderProfit, economics.marginToDate, economics.clvToCAC ?? 0,
          economics.paybackDays ?? 0,
        ]
        if let bad = values.first(where: { !$0.isFinite }) {
          errors.record(
            ModelError.nonFinite(
              model: type(of: model).modelName,
              quantity: "the CAC columns of customer '\(row.customerID)' (\(bad))"),
            chunk: chunk)
          return
        }
        part.append(economics)
      }
      parts[chunk] = part
    }
    if let error = errors.first { throw error }
    let customers = parts.values.flatMap { $0 }
    acquisition = AcquisitionColumns(
      customers: customers, withoutCost: customers.filter { $0.cac == nil }.count)
  }
}
