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
  /// The BTYD model file (its JSON, embedded) that provides `p_alive` and `expected_purchases`.
  public var transactionModel: JSONValue?
  /// The horizon of `expected_purchases`, in the model's unit (the label horizon).
  public var expectedPurchasesHorizon: Double?
  public var attributes: [AttributeEncoding]
  /// Whether missing attribute values are filled (numeric: the column mean; text: the
  /// reference level) instead of being an error.
  public var fill: Bool

  public init(
    features: [String], transactionModel: JSONValue? = nil, expectedPurchasesHorizon: Double? = nil,
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
    guard let attributes else {
      throw ModelError.unusableData(
        model: LogisticChurn.modelName,
        reason: "the model uses attribute columns "
          + "(\(self.attributes.map(\.column).joined(separator: ", "))): give --attributes FILE")
    }
    let columnIndex = try self.attributes.map { encoding -> Int in
      guard let index = attributes.columns.firstIndex(of: encoding.column) else {
        throw DataError.invalidFile(
          file: attributes.file, reason: "no column '\(encoding.column)' (the model needs it)")
      }
      return index
    }
    var j = features.count
    for (a, encoding) in self.attributes.enumerated() {
      let width = encoding.featureNames.count
      for (i, row) in rows.enumerated() {
        let record = attributes.record(for: row.customerID)
        let raw = record.map { $0.values[columnIndex[a]] } ?? ""
        let line = record?.line
        if CustomerAttributes.isMissing(raw) && !fill {
          if let line {
            throw DataError.invalidField(
              file: attributes.file, line: line, column: encoding.column, value: raw,
              expected: encoding.kind == .numeric
                ? "a number (the value is missing; use --fill)"
                : "a level (the value is missing; use --fill)")
          }
          throw DataError.invalidFile(
            file: attributes.file,
            reason: "no row for customer_id '\(row.customerID)' (use --fill to fill it)")
        }
        switch encoding.kind {
        case .numeric:
          let value: Double
          if CustomerAttributes.isMissing(raw) {
            value = encoding.fillValue ?? 0
          } else if let number = Double(raw), number.isFinite {
            value = number
          } else {
            throw DataError.invalidField(
              file: attributes.file, line: line ?? 0, column: encoding.column, value: raw,
              expected: "a number")
          }
          matrix.elements[j * n + i] = value
        case .categorical:
          if CustomerAttributes.isMissing(raw) { continue }  // the reference level: all zeros
          guard let level = encoding.levels.firstIndex(of: raw) else {
            throw DataError.invalidField(
              file: attributes.file, line: line ?? 0, column: encoding.column, value: raw,
              expected: "one of the training levels \(encoding.levels.joined(separator: ", "))")
          }
          if level > 0 { matrix.elements[(j + level - 1) * n + i] = 1 }
        }
      }
      j += width
    }
    return matrix
  }
}

/// A customer attributes table read from CSV: a header with a `customer_id` column, then one
/// row per customer. Values are kept as text; ``ChurnFeatureSpecification`` decides which
/// columns are numeric. An empty field or `NA` is a missing value.
public struct CustomerAttributes: Sendable {
  public struct Record: Sendable {
    /// The record's line in the file (the header is line 1).
    public var line: Int
    public var customerID: String
    /// Values in `columns` order.
    public var values: [String]
  }

  /// The file name used in messages.
  public var file: String
  /// The attribute columns (every header column except `customer_id`), in file order.
  public var columns: [String]
  public var records: [Record]
  private var index: [String: Int]

  /// Parses comma-separated text with the CSV reader every clvkit input goes through
  /// (``DelimitedRecordReader``: RFC 4180 quoting, LF or CRLF line ends, unquoted fields
  /// trimmed of blanks).
  ///
  /// - Throws: ``DataError`` with the file and line: no `customer_id` column, repeated column
  ///   names, a row with the wrong number of fields (naming the column), an unterminated
  ///   quote, a repeated customer, text that is not UTF-8.
  public init(csv text: String, file: String) throws {
    try self.init(
      DelimitedRecordReader(bytes: Array(text.utf8), displayName: file, delimiter: .comma))
  }

  /// Reads `path` (`-`: standard input) as ``init(csv:file:)`` parses text.
  public init(path: String) throws {
    try self.init(DelimitedRecordReader(path: path, delimiter: .comma))
  }

  init(_ reader: DelimitedRecordReader) throws {
    file = reader.displayName
    let names = try reader.header(expected: "a header with a customer_id column")
    guard let idColumn = names.firstIndex(of: "customer_id") else {
      throw DataError.invalidFile(file: file, reason: "no 'customer_id' column in the header")
    }
    columns = names.enumerated().filter { $0.offset != idColumn }.map(\.element)
    records = []
    index = [:]
    while try reader.next() {
      let line = reader.line
      try reader.requireFields(of: names)
      let fields = try (0..<names.count).map { try reader.text($0, column: names[$0]) }
      let id = fields[idColumn]
      guard !id.isEmpty else {
        throw DataError.invalidField(
          file: file, line: line, column: "customer_id", value: "", expected: "an id")
      }
      if let previous = index[id] {
        throw DataError.invalidRow(
          file: file, line: line,
          reason: "customer_id '\(DataError.shown(id))' repeats line \(records[previous].line)")
      }
      index[id] = records.count
      let values = fields.enumerated().filter { $0.offset != idColumn }.map(\.element)
      records.append(Record(line: line, customerID: id, values: values))
    }
    guard !records.isEmpty else {
      throw DataError.invalidFile(file: file, reason: "no rows after the header")
    }
  }

  /// The record of a customer, or nil.
  public func record(for customerID: String) -> Record? {
    index[customerID].map { records[$0] }
  }

  /// An empty field or `NA`.
  public static func isMissing(_ value: String) -> Bool { value.isEmpty || value == "NA" }
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
