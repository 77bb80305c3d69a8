import CLVData
import CLVModels
import CLVScoring
import Foundation

extension RunFile.ModelResult {
  /// The fitted model this entry embeds, rebuilt from its model-file fields (the entry is the
  /// model file plus measures, see ``init(modelFile:)``); nil for a failed entry or an id the
  /// ``ModelRegistry`` does not know.
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` when the fields do not make a
  ///   model file.
  public func fittedModel() throws -> (any ModelFileConvertible)? {
    guard error == nil, let descriptor = ModelRegistry.descriptor(for: model) else { return nil }
    let location = "run file entry '\(model)'"
    let file = try ModelFile.decode(try JSONEncoder().encode(self), path: location)
    return try descriptor.decode(file, path: location)
  }
}

extension TargetingBacktest {
  /// The purchase model with the smallest holdout RMSE (calendar time; the one `clv train
  /// --model auto` would choose on this split, the first on ties), rebuilt from its entry; nil
  /// when no purchase model succeeded.
  /// - Throws: ``ModelError`` when an entry does not make a model.
  public static func bestPurchaseModel(
    _ results: [RunFile.ModelResult]
  ) throws -> (result: RunFile.ModelResult, model: any TransactionModel)? {
    let purchase = results.filter { result in
      ModelRegistry.descriptor(for: result.model)?.kind == .purchase
        && ModelRegistry.descriptor(for: result.model)?.timeScale == .calendar
        && result.error == nil && result.holdout != nil
    }
    guard
      let best = purchase.enumerated().min(by: { a, b in
        (a.element.holdout!.rmse, a.offset) < (b.element.holdout!.rmse, b.offset)
      })?.element,
      let model = try best.fittedModel() as? any TransactionModel
    else { return nil }
    return (best, model)
  }

  /// Each customer's P(at least one purchase in the next `windowDays` days | history at D) =
  /// 1 − ``TransactionModel/probabilityOfNoPurchase(in:for:)`` under `model` fitted on the
  /// calibration period, by customer id; non-finite values are left out. For the CNBD-k
  /// models this is their regular timing: the Erlang-k phase already completed since the last
  /// purchase makes a purchase in the window likelier near the end of a cycle ([PR2016]).
  ///
  /// - Parameter rows: frequency, recency and T at D in `unit` (the model's unit).
  public static func purchaseProbabilities(
    rows: [RFMSummary.Row], unit: TimeUnit, model: any TransactionModel, windowDays: Int
  ) -> [String: Double] {
    let horizon = Double(windowDays) / unit.days
    var probabilities: [String: Double] = [:]
    probabilities.reserveCapacity(rows.count)
    for row in rows {
      let p = 1 - model.probabilityOfNoPurchase(in: horizon, for: row)
      if p.isFinite { probabilities[row.customerID] = min(1, max(0, p)) }
    }
    return probabilities
  }

  /// The segments of `clv score` at the calibration end D, labelled by the run's own models:
  /// the purchase model with the smallest holdout RMSE (the one `clv train --model auto` would
  /// choose on this split) and the spend model when one was evaluated, both fitted on the
  /// calibration period; value = CLV over the holdout length without discounting (expected
  /// purchases without a spend model); the rules of ``SegmentationRules`` with their defaults
  /// and the population cycle at D.
  ///
  /// - Returns: the segment of each customer of `sample` and a description of the models; nil
  ///   when no purchase model succeeded.
  /// - Throws: ``ScoringError`` or ``ModelError`` from the rules and the models.
  public static func segmentLabels(
    sample: EvaluationSample, results: [RunFile.ModelResult], log: PurchaseLog
  ) throws -> (segments: [String: Segment], model: String)? {
    guard let (best, transactions) = try bestPurchaseModel(results) else { return nil }
    let spendResult = results.first { result in
      ModelRegistry.descriptor(for: result.model)?.kind == .spend && result.error == nil
    }
    let spend =
      sample.hasMonetaryValue ? try spendResult?.fittedModel() as? any SpendModel : nil
    var scorer = Scorer(
      transactions: transactions, spend: spend, horizon: sample.holdoutLength)
    var rules = try SegmentationRules(asOf: sample.calibrationEnd)
    var facts: [CustomerFacts] = []
    facts.reserveCapacity(sample.rows.count)
    for row in sample.rows {
      let history = log.customers[row.customerID]?.history(asOf: sample.calibrationEnd)
      let score = scorer.score(row)
      facts.append(
        CustomerFacts(
          customerID: row.customerID, history: history,
          probabilityAlive: score.probabilityAlive, expectedPurchases: score.expectedPurchases,
          clv: score.customerValue))
    }
    rules.populationCycleDays = SegmentationRules.medianCycleDays(of: facts)
    let threshold = try rules.resolvedValueThreshold(for: facts)
    let labels = try rules.labels(of: facts, valueThreshold: threshold)
    var segments: [String: Segment] = [:]
    for (customer, label) in zip(facts, labels) where customer.history != nil {
      segments[customer.customerID] = label.segment
    }
    let name = [best.model, spend == nil ? nil : spendResult?.model].compactMap { $0 }
      .joined(separator: " + ")
    return (segments, name + ", fitted on the calibration period")
  }
}
