import CLVData

/// How a customer-attribute column becomes model inputs: a numeric column as is, a text column
/// one-hot against a reference level (the first level in sorted byte-wise order). One type for
/// churn-logit's attribute features and the purchase models' covariates.
public typealias AttributeEncoding = ChurnFeatureSpecification.AttributeEncoding

extension ChurnFeatureSpecification.AttributeEncoding {
  /// The encoded values of `encodings` for the customers `customerIDs`, column-major: n rows
  /// (customers, in the given order) × Σ widths columns (``featureNames`` of each encoding in
  /// order). The one place attribute values are turned into numbers.
  ///
  /// - A numeric value is used as it is; a missing one (empty or `NA`) is the column's
  ///   training mean (``fillValue``) with `fill`, an error without.
  /// - A text value sets the indicator of its level (the reference level: all zeros); a missing
  ///   one is the reference level with `fill`, an error without; a level not seen in training
  ///   is always an error (a product decision: an unseen channel is not silently priced as the
  ///   reference channel).
  /// - A customer without a row is filled (as missing values) with `fill`, an error without.
  ///
  /// - Parameter model: the model name, for the message when `attributes` is nil.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` without an attributes table;
  ///   ``DataError`` naming the attributes file, line, column and value otherwise.
  /// - Complexity: O(n · columns) look-ups.
  public static func features(
    _ encodings: [Self], for customerIDs: [String], attributes: CustomerAttributes?, fill: Bool,
    model: String
  ) throws -> [Double] {
    let n = customerIDs.count
    let width = encodings.reduce(0) { $0 + $1.featureNames.count }
    var values = [Double](repeating: 0, count: n * width)
    guard !encodings.isEmpty else { return values }
    guard let attributes else {
      throw ModelError.unusableData(
        model: model,
        reason: "the model uses attribute columns "
          + "(\(encodings.map(\.column).joined(separator: ", "))): give --attributes FILE")
    }
    let columnIndex = try encodings.map { encoding -> Int in
      guard let index = attributes.columns.firstIndex(of: encoding.column) else {
        throw DataError.invalidFile(
          file: attributes.file, reason: "no column '\(encoding.column)' (the model needs it)")
      }
      return index
    }
    let records = customerIDs.map { attributes.record(for: $0) }
    var j = 0
    for (a, encoding) in encodings.enumerated() {
      for (i, id) in customerIDs.enumerated() {
        let record = records[i]
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
            reason: "no row for customer_id '\(id)' (use --fill to fill it)")
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
          values[j * n + i] = value
        case .categorical:
          if CustomerAttributes.isMissing(raw) { continue }  // the reference level: all zeros
          guard let level = encoding.levels.firstIndex(of: raw) else {
            throw DataError.invalidField(
              file: attributes.file, line: line ?? 0, column: encoding.column, value: raw,
              expected: "one of the training levels \(encoding.levels.joined(separator: ", "))")
          }
          if level > 0 { values[(j + level - 1) * n + i] = 1 }
        }
      }
      j += encoding.featureNames.count
    }
    return values
  }
}
