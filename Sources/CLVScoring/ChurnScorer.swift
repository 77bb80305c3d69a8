import CLVData
import CLVModels
import Foundation

/// A churn model loaded for scoring (`clv score --churn-model FILE`), with what its features
/// need: the BTYD model embedded in the file (for p_alive, expected_purchases) and the
/// attributes file. ``ScoreTable`` adds its probabilities as the churn_probability column.
///
///     let churn = try ChurnScorer(path: "churn-logit.json", attributesPath: nil)
///     let churnProbability = try churn.probabilities(for: summaries)  // one per row
public struct ChurnScorer: Sendable {
  public let path: String
  public let model: LogisticChurn
  public let transactionModel: (any TransactionModel)?
  public let attributes: CustomerAttributes?

  /// Loads and checks the model file (and the attributes file, when the model uses attributes).
  /// - Throws: `ModelError.invalidModelFile` (exit 65) for a file that is not a churn-logit
  ///   model; `DataError` for an unreadable file or attributes CSV.
  public init(path: String, attributesPath: String?) throws {
    let file = try ModelFile.read(from: path)
    guard let model = try file.makeModel(path: path) as? LogisticChurn else {
      throw ModelError.invalidModelFile(
        path: path,
        reason: "holds '\(file.model)', not a churn model "
          + "(\(ModelRegistry.list(ModelRegistry.ids(of: .churn))))")
    }
    guard let specification = model.specification else {
      throw ModelError.invalidModelFile(path: path, reason: "no feature specification")
    }
    var transactionModel: (any TransactionModel)? = nil
    if let embedded = specification.transactionModel {
      let location = "\(path) (embedded transactionModel)"
      guard
        let built = try embedded.checked(path: location).makeModel(path: location)
          as? any TransactionModel
      else {
        throw ModelError.invalidModelFile(path: location, reason: "not a purchase model")
      }
      transactionModel = built
    }
    var attributes: CustomerAttributes? = nil
    if !specification.attributes.isEmpty {
      guard let attributesPath else {
        throw ModelError.invalidModelFile(
          path: path,
          reason: "the model uses attribute columns "
            + "(\(specification.attributes.map(\.column).joined(separator: ", "))): give "
            + "--attributes FILE")
      }
      attributes = try CustomerAttributes.read(path: attributesPath)
    }
    self.path = path
    self.model = model
    self.transactionModel = transactionModel
    self.attributes = attributes
  }

  /// P(churn within the model's label horizon) per customer, in the summaries' order. Times
  /// (recency, T) are converted to the model's unit when the summaries are in another one.
  /// - Parameter notes: called with what the model's `fill` did (how many customers'
  ///   attributes were filled).
  /// - Throws: the feature errors of
  ///   ``LogisticChurn/churnProbabilities(for:transactionModel:attributes:)``; `DataError` when
  ///   `fill` would fill more than ``CustomerAttributes/maximumFilledShare`` of the customers.
  public func probabilities(
    for summaries: CustomerSummaries, notes: (String) -> Void = { _ in }
  ) throws -> [Double] {
    var rows = summaries.summary.rows
    if let label = model.label {
      rows = ModelUnit.time(label.unit).rows(rows, from: summaries.unit)
    }
    if let attributes, model.specification?.fill == true {
      notes(
        attributes.fillNote(
          try attributes.checkedCoverage(
            of: rows.map(\.customerID), ordersFile: summaries.report.file)))
    }
    return try model.churnProbabilities(
      for: rows, transactionModel: transactionModel, attributes: attributes)
  }
}
