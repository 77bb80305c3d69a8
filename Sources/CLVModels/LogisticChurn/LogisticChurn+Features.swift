import CLVData
import CLVNumerics
import Foundation
import RealModule

/// The churn label: a customer present at the calibration end (first purchase on or before
/// it) churns when they make no purchase in (calibrationEnd, observationEnd].
public struct ChurnLabel: Codable, Sendable, Equatable {
  public var calibrationEnd: Day
  public var observationEnd: Day
  /// observationEnd − calibrationEnd in `unit`.
  public var horizon: Double
  public var unit: TimeUnit
  public var definition: String

  public init(calibrationEnd: Day, observationEnd: Day, unit: TimeUnit) {
    self.calibrationEnd = calibrationEnd
    self.observationEnd = observationEnd
    self.unit = unit
    self.horizon = Double(observationEnd - calibrationEnd) / unit.days
    self.definition =
      "churn = 1 when a customer whose first purchase is on or before \(calibrationEnd) makes "
      + "no purchase in (\(calibrationEnd), \(observationEnd)]"
  }

  /// The label from the number of purchase days in the holdout period.
  public static func churned(holdoutFrequency: Int) -> Bool { holdoutFrequency == 0 }
}

/// How the churn model's features are computed for a customer, recorded in the model file so
/// that scoring rebuilds exactly the training features.
///
/// Built-in features, from the calibration summary (x, tₓ, T, m̄ in the model's time unit):
///
/// | name | value |
/// |---|---|
/// | `frequency` | x, repeat purchase days |
/// | `recency` | tₓ |
/// | `T` | T, the customer's age |
/// | `monetary_value` | m̄, mean repeat purchase-day spend (0 when x = 0) |
/// | `gap` | T − tₓ, time since the last purchase |
/// | `log_frequency` | log(1 + x) |
/// | `mean_interpurchase` | tₓ / x, 0 when x = 0 |
/// | `p_alive` | P(alive) from a fitted BTYD model (`--with-model`) |
/// | `expected_purchases` | E[X(h) | x, tₓ, T] of that model over the label horizon h |
///
/// Attribute columns (`--attributes`) follow: a numeric column as is; a text column one-hot
/// encoded as `column=level` for every level but the reference, which is the first level in
/// sorted (byte-wise) order.
public struct ChurnFeatureSpecification: Codable, Sendable, Equatable {
  /// Built-in feature names.
  public static let builtInFeatures = [
    "frequency", "recency", "T", "monetary_value", "gap", "log_frequency",
    "mean_interpurchase", "p_alive", "expected_purchases",
  ]
  /// Features that need a BTYD model.
  public static let modelFeatures = ["p_alive", "expected_purchases"]
  /// The default `--features`: every summary feature except `gap`, which is T − recency and so
  /// collinear with `T` and `recency` together.
  public static let defaultFeatures = [
    "frequency", "recency", "T", "monetary_value", "log_frequency", "mean_interpurchase",
  ]

  /// How an attribute column becomes features.
  public struct AttributeEncoding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case numeric, categorical }
    public var column: String
    public var kind: Kind
    /// Categorical: every level, sorted; `levels[0]` is the reference (no indicator column).
    public var levels: [String]
    /// Numeric: the mean of the column's values, used for missing values with `--fill`.
    public var fillValue: Double?

    /// The feature names this column produces.
    public var featureNames: [String] {
      switch kind {
      case .numeric: return [column]
      case .categorical: return levels.dropFirst().map { "\(column)=\($0)" }
      }
    }
  }

  /// Built-in features, in order.
  public var features: [String]
  /// The BTYD model file, embedded as it is, that provides `p_alive` and
  /// `expected_purchases`; ``ModelFile/checked(path:)`` then ``ModelFile/makeModel(path:)``
  /// rebuild the model.
  public var transactionModel: ModelFile?
  /// The horizon of `expected_purchases`, in the model's unit (the label horizon).
  public var expectedPurchasesHorizon: Double?
  public var attributes: [AttributeEncoding]
  /// Whether missing attribute values are filled (numeric: the column mean; text: the
  /// reference level) instead of being an error.
  public var fill: Bool

  public init(
    features: [String], transactionModel: ModelFile? = nil, expectedPurchasesHorizon: Double? = nil,
    attributes: [AttributeEncoding] = [], fill: Bool = false
  ) {
    self.features = features
    self.transactionModel = transactionModel
    self.expectedPurchasesHorizon = expectedPurchasesHorizon
    self.attributes = attributes
    self.fill = fill
  }

  /// All feature names: built-in ones, then the attribute columns' features.
  public var featureNames: [String] { features + attributes.flatMap(\.featureNames) }

  /// Checks the built-in names.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for an unknown or repeated name.
  public static func validate(features: [String]) throws {
    for name in features where !builtInFeatures.contains(name) {
      throw ModelError.unusableData(
        model: LogisticChurn.modelName,
        reason: "unknown feature '\(name)' (known: \(builtInFeatures.joined(separator: ", ")))")
    }
    if let repeated = features.first(where: { name in features.filter { $0 == name }.count > 1 }) {
      throw ModelError.unusableData(
        model: LogisticChurn.modelName, reason: "feature '\(repeated)' is listed twice")
    }
  }

  /// Learns the attribute encodings (kind, levels, fill values) from an attributes file.
  public static func encodings(of attributes: CustomerAttributes) -> [AttributeEncoding] {
    attributes.columns.enumerated().map { index, column in
      let values = attributes.records.compactMap { record -> String? in
        let value = record.values[index]
        return CustomerAttributes.isMissing(value) ? nil : value
      }
      let numbers = values.compactMap { Double($0) }.filter(\.isFinite)
      if !values.isEmpty, numbers.count == values.count {
        let mean = numbers.reduce(0, +) / Double(numbers.count)
        return AttributeEncoding(column: column, kind: .numeric, levels: [], fillValue: mean)
      }
      return AttributeEncoding(
        column: column, kind: .categorical, levels: Array(Set(values)).sorted(), fillValue: nil)
    }
  }

  /// The n × p feature matrix for the customers `rows`, in ``featureNames`` order.
  ///
  /// - Parameters:
  ///   - rows: calibration (training) or scoring-date summaries.
  ///   - transactionModel: required when `features` lists `p_alive` or `expected_purchases`.
  ///   - attributes: required when the specification has attribute columns.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when a needed input is missing or a
  ///   value is not finite; ``DataError`` for a missing or unknown attribute value (file, line,
  ///   column) unless `fill`.
  public func design(
    for rows: [RFMSummary.Row], transactionModel: (any TransactionModel)? = nil,
    attributes: CustomerAttributes? = nil
  ) throws -> Matrix {
    try Self.validate(features: features)
    let names = featureNames
    let n = rows.count
    var matrix = Matrix(rows: n, columns: names.count)
    let needsModel = features.contains { Self.modelFeatures.contains($0) }
    if needsModel, transactionModel == nil {
      throw ModelError.unusableData(
        model: LogisticChurn.modelName,
        reason: "features p_alive and expected_purchases need a BTYD model (--with-model)")
    }
    let horizon = expectedPurchasesHorizon ?? 0
    for (j, name) in features.enumerated() {
      let offset = j * n
      for (i, row) in rows.enumerated() {
        let x = Double(row.frequency)
        let value: Double
        switch name {
        case "frequency": value = x
        case "recency": value = row.recency
        case "T": value = row.age
        case "monetary_value": value = row.monetaryValue
        case "gap": value = row.age - row.recency
        case "log_frequency": value = Double.log(onePlus: x)
        case "mean_interpurchase": value = row.frequency > 0 ? row.recency / x : 0
        case "p_alive": value = transactionModel!.probabilityAlive(for: row)
        case "expected_purchases":
          value = transactionModel!.expectedPurchases(in: horizon, for: row)
        default: preconditionFailure("validated above")
        }
        guard value.isFinite else {
          throw ModelError.unusableData(
            model: LogisticChurn.modelName,
            reason: "feature '\(name)' is not finite for customer '\(row.customerID)'")
        }
        matrix.elements[offset + i] = value
      }
    }
    guard !self.attributes.isEmpty else { return matrix }
    let values = try AttributeEncoding.features(
      self.attributes, for: rows.map(\.customerID), attributes: attributes, fill: fill,
      model: LogisticChurn.modelName)
    let offset = features.count * n
    for k in values.indices { matrix.elements[offset + k] = values[k] }
    return matrix
  }
}

extension LogisticChurn {
  /// P(churn) for customers summarized at the scoring date, with the features rebuilt as the
  /// model's ``specification`` says (built-in features from the rows, BTYD features from
  /// `transactionModel`, attribute columns from `attributes`).
  ///
  /// The rows must be in the unit of the model's label (``ChurnLabel/unit``).
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when the model has no specification,
  ///   when a needed input is missing, or when a feature is not finite; ``DataError`` for an
  ///   attribute value that is missing (without `fill`) or of an unseen level;
  ///   ``ModelError/nonFinite(model:quantity:)`` never in practice (σ is bounded).
  public func churnProbabilities(
    for rows: [RFMSummary.Row], transactionModel: (any TransactionModel)? = nil,
    attributes: CustomerAttributes? = nil
  ) throws -> [Double] {
    guard let specification else {
      throw ModelError.unusableData(
        model: Self.modelName, reason: "the model has no feature specification")
    }
    guard specification.featureNames == featureNames else {
      throw ModelError.unusableData(
        model: Self.modelName,
        reason: "the feature specification (\(specification.featureNames.joined(separator: ", "))) "
          + "does not match the coefficients (\(featureNames.joined(separator: ", ")))")
    }
    let x = try specification.design(
      for: rows, transactionModel: transactionModel, attributes: attributes)
    return try churnProbabilities(x)
  }
}
