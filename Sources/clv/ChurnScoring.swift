import CLVData
import CLVModels
import Foundation

/// A churn model loaded for `clv score --churn-model FILE`, with what its features need: the
/// BTYD model embedded in the file (for p_alive, expected_purchases) and the attributes file.
///
/// Hook in `Score` (options `--churn-model FILE` and `--attributes FILE`; after reading the
/// summaries; one more CSV column, `churn_probability`, empty without a churn model):
///
///     let churn = try churnModel.map { try ChurnScorer(path: $0, attributesPath: attributes) }
///     let churnProbability = try churn?.probabilities(for: summaries)  // one per row
struct ChurnScorer {
  let path: String
  let model: LogisticChurn
  let transactionModel: (any TransactionModel)?
  let attributes: CustomerAttributes?

  /// Loads and checks the model file (and the attributes file, when the model uses attributes).
  /// - Throws: `ModelError.invalidModelFile` (exit 65) for a file that is not a churn-logit
  ///   model; `DataError` for an unreadable file or attributes CSV.
  init(path: String, attributesPath: String?) throws {
    let file = try ModelFile.read(from: path)
    guard file.model == LogisticChurn.modelID else {
      throw ModelError.invalidModelFile(
        path: path, reason: "holds '\(file.model)', not a churn model (churn-logit)")
    }
    let model = try LogisticChurn(modelFile: file, path: path)
    guard let specification = model.specification else {
      throw ModelError.invalidModelFile(path: path, reason: "no feature specification")
    }
    var transactionModel: (any TransactionModel)? = nil
    if let embedded = specification.transactionModel {
      let location = "\(path) (embedded transactionModel)"
      let bytes = try JSONEncoder().encode(embedded)
      guard
        let built = try ModelFile.decode(bytes, path: location).makeModel(path: location)
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
      attributes = try readAttributes(attributesPath)
    }
    self.path = path
    self.model = model
    self.transactionModel = transactionModel
    self.attributes = attributes
  }

  /// P(churn within the model's label horizon) per customer, in the summaries' order. Times
  /// (recency, T) are converted to the model's unit when the summaries are in another one.
  /// - Throws: the feature errors of
  ///   ``LogisticChurn/churnProbabilities(for:transactionModel:attributes:)``.
  func probabilities(for summaries: CustomerSummaries) throws -> [Double] {
    var rows = summaries.summary.rows
    if let label = model.label, label.unit != summaries.unit {
      let scale = summaries.unit.days / label.unit.days
      for i in rows.indices {
        rows[i].recency *= scale
        rows[i].age *= scale
      }
    }
    if let attributes, model.specification?.fill == true {
      try checkFill(
        attributes, customers: rows.map(\.customerID), ordersFile: summaries.report.file,
        command: "score")
    }
    return try model.churnProbabilities(
      for: rows, transactionModel: transactionModel, attributes: attributes)
  }
}
