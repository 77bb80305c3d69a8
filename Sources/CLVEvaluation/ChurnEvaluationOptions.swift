import CLVData
import CLVModels
import Foundation

/// churn-logit's options in an evaluation: those of `clv train --model churn-logit`.
public struct ChurnEvaluationOptions: Sendable {
  /// The features; nil = ``ChurnLogitValidation/features(hasMonetaryValue:)``.
  public var features: [String]?
  /// L2 penalty λ on the standardized coefficients (`LogisticChurn.Options.l2`); 0 = maximum
  /// likelihood. Independent of the purchase models' penalizer.
  public var l2: Double
  /// Customer attributes joined on `customer_id`.
  public var attributes: CustomerAttributes?
  /// Fill missing attribute values instead of failing.
  public var fill: Bool
  /// A fitted purchase model whose `p_alive` and `expected_purchases` become features, with its
  /// model file (embedded in the churn model). It must have been fitted on data that
  /// ends by the calibration end (else it has seen the holdout).
  public var transactionModel: (any TransactionModel)?
  public var transactionModelFile: ModelFile?

  public init(
    features: [String]? = nil, l2: Double = 0, attributes: CustomerAttributes? = nil,
    fill: Bool = false, transactionModel: (any TransactionModel)? = nil,
    transactionModelFile: ModelFile? = nil
  ) {
    self.features = features
    self.l2 = l2
    self.attributes = attributes
    self.fill = fill
    self.transactionModel = transactionModel
    self.transactionModelFile = transactionModelFile
  }
}

extension ChurnEvaluationOptions {
  /// Reads the purchase-model file of `--with-model` for an evaluation at calibration end
  /// `calibrationEnd`: it must hold a purchase model in `unit` fitted on data that ended by
  /// then (`data.calibrationEnd`, else `data.observationEnd`), or its p_alive would have seen
  /// the holdout.
  ///
  /// - Throws: ``CLVModels/ModelError/invalidModelFile(path:reason:)`` (exit 65).
  public static func transactionModel(
    at path: String, unit: TimeUnit, calibrationEnd: Day
  ) throws -> (model: any TransactionModel, file: ModelFile) {
    let (file, model) = try ModelFile.readTransactionModel(from: path)
    if let fileUnit = file.unit, fileUnit != .time(unit) {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "its unit is '\(fileUnit)' but the orders are summarized in \(unit.rawValue)s "
          + "(--unit)")
    }
    guard let text = file.data?.calibrationEnd ?? file.data?.observationEnd,
      let end = Day(iso: text)
    else {
      throw ModelError.invalidModelFile(
        path: path, reason: "it does not record the end of its training data (data.observationEnd)")
    }
    guard end <= calibrationEnd else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "it was fitted on data up to \(end), after the calibration end \(calibrationEnd): "
          + "its p_alive has seen the holdout (train it with --calibration-end \(calibrationEnd))")
    }
    return (model, file)
  }
}
