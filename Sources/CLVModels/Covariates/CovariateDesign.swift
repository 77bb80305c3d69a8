import CLVData

/// The process a customer attribute acts on.
public enum CovariateProcess: String, Codable, Sendable, CaseIterable {
  /// The purchase rate while alive (`--purchase-covariates`).
  case purchase
  /// Dropout (`--dropout-covariates`).
  case dropout
  /// Spend per purchase (`--spend-covariates`: the Gamma-Gamma scale, ``CovariateGammaGamma``).
  case spend
}

/// Which customer attributes enter a purchase or spend model and how they are encoded: the part of a
/// covariate model's file that lets scoring rebuild each customer's covariate vector z from an
/// attributes file alone.
///
/// Columns are encoded once for both processes (``AttributeEncoding``: numeric as is, text
/// one-hot against the first level in sorted order, the same encodings as churn-logit's
/// attribute features); each process uses the features of its own columns.
public struct CovariateDesign: Codable, Sendable, Equatable {
  /// The encodings of every column used by either process, in attributes-file order.
  public var encodings: [AttributeEncoding]
  /// The columns acting on the purchase process, in attributes-file order.
  public var purchaseColumns: [String]
  /// The columns acting on the dropout process, in attributes-file order.
  public var dropoutColumns: [String]
  /// Whether missing attribute values (and customers without a row) are filled: numeric with
  /// the column's mean, text with the reference level (`--fill`).
  public var fill: Bool
  /// The columns whose features have one coefficient shared by every covariate link of the
  /// model (`--same-coefficient`; each is in both ``purchaseColumns`` and
  /// ``dropoutColumns``); nil or empty: none (absent in files written before the option).
  public var sameCoefficientColumns: [String]?
  /// The columns acting on spend per purchase (a spend model's `--spend-covariates`), in
  /// attributes-file order; nil or empty: none (absent in the files of purchase models).
  public var spendColumns: [String]?

  public init(
    encodings: [AttributeEncoding], purchaseColumns: [String], dropoutColumns: [String],
    fill: Bool = false, sameCoefficientColumns: [String]? = nil, spendColumns: [String]? = nil
  ) {
    self.encodings = encodings
    self.purchaseColumns = purchaseColumns
    self.dropoutColumns = dropoutColumns
    self.spendColumns = spendColumns?.isEmpty == true ? nil : spendColumns
    self.fill = fill
    self.sameCoefficientColumns =
      sameCoefficientColumns?.isEmpty == true
      ? nil : sameCoefficientColumns
  }

  /// The column of each feature, in the order of z.
  public var featureColumns: [String] {
    encodings.flatMap { encoding in encoding.featureNames.map { _ in encoding.column } }
  }

  /// The free coefficients of a model with covariate links `links` and where each link's
  /// coefficient on feature j sits among them: every link has its own coefficient on each
  /// feature of its process, except the features of ``sameCoefficientColumns``, which have one
  /// coefficient, `shared.feature`, for all links (after the links' own, in feature order).
  ///
  /// - Returns: `names` of the free coefficients (`purchase.channel=web`,
  ///   `shared.channel=web`, …) and `index[l][q]`, the free coefficient of link l's q-th
  ///   feature (``featureIndices(of:)`` order).
  public func coefficientLayout(
    _ links: [CovariateLink]
  ) -> (names: [String], index: [[Int]]) {
    let shared = Set(sameCoefficientColumns ?? [])
    let names = featureNames
    let columns = featureColumns
    var free: [String] = []
    var index: [[Int]] = []
    for link in links {
      var positions: [Int] = []
      for feature in featureIndices(of: link.process) {
        if shared.contains(columns[feature]) {
          positions.append(-1 - feature)  // filled below
        } else {
          positions.append(free.count)
          free.append("\(link.name).\(names[feature])")
        }
      }
      index.append(positions)
    }
    var sharedIndex: [Int: Int] = [:]
    for feature in names.indices where shared.contains(columns[feature]) {
      sharedIndex[feature] = free.count
      free.append("shared.\(names[feature])")
    }
    for l in index.indices {
      for q in index[l].indices where index[l][q] < 0 {
        index[l][q] = sharedIndex[-1 - index[l][q]]!
      }
    }
    return (free, index)
  }

  /// Every encoded feature (`channel=web`, `basket`), in the order of z.
  public var featureNames: [String] { encodings.flatMap(\.featureNames) }

  /// The columns of `process`.
  public func columns(of process: CovariateProcess) -> [String] {
    switch process {
    case .purchase: return purchaseColumns
    case .dropout: return dropoutColumns
    case .spend: return spendColumns ?? []
    }
  }

  /// Indices into z (``featureNames``) of the features of `process`, in order.
  public func featureIndices(of process: CovariateProcess) -> [Int] {
    let columns = Set(columns(of: process))
    var indices: [Int] = []
    var j = 0
    for encoding in encodings {
      let width = encoding.featureNames.count
      if columns.contains(encoding.column) { indices += j..<(j + width) }
      j += width
    }
    return indices
  }

  /// The feature names of `process`, in order.
  public func featureNames(of process: CovariateProcess) -> [String] {
    let names = featureNames
    return featureIndices(of: process).map { names[$0] }
  }

  /// The design of `attributes` for a fit: encodings learned from the file (as churn-logit
  /// learns them), the columns of each process checked.
  ///
  /// - Parameters:
  ///   - purchase: attribute columns for the purchase process; nil = every column.
  ///   - dropout: attribute columns for the dropout process; nil = every column.
  ///   - spend: attribute columns for spend per purchase; nil = every column.
  ///   - processes: the processes of the model (its ``CovariateLink/process`` values): a
  ///     process the model does not have gets no column, and a list given for it is an error.
  ///   - sameCoefficient: columns whose coefficient is the same in both processes (in every
  ///     covariate link); each must act on both.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for an unknown or repeated column, a
  ///   column without variation (a single text level, or a constant number: its effect cannot
  ///   be told apart from the model's own scale), no covariate at all, a `sameCoefficient`
  ///   column that does not act on both processes, or a list for a process the model does not
  ///   have.
  public static func learn(
    from attributes: CustomerAttributes, purchase: [String]?, dropout: [String]?,
    spend: [String]? = nil, fill: Bool, sameCoefficient: [String] = [],
    processes: Set<CovariateProcess> = [.purchase, .dropout], model: String
  ) throws -> CovariateDesign {
    func checked(
      _ list: [String]?, option: String, process: CovariateProcess? = nil
    ) throws -> [String] {
      if let process, !processes.contains(process) {
        guard list == nil else {
          throw ModelError.unusableData(
            model: model, reason: "\(option) does not apply: the model has no \(process) process")
        }
        return []
      }
      guard let list else { return attributes.columns }
      for name in list where !attributes.columns.contains(name) {
        throw ModelError.unusableData(
          model: model,
          reason: "\(option): no column '\(name)' in \(attributes.file) (columns: "
            + "\(attributes.columns.joined(separator: ", ")))")
      }
      if let repeated = list.first(where: { name in list.filter { $0 == name }.count > 1 }) {
        throw ModelError.unusableData(
          model: model, reason: "\(option): column '\(repeated)' is listed twice")
      }
      return attributes.columns.filter { list.contains($0) }
    }
    let purchaseColumns = try checked(
      purchase, option: "--purchase-covariates", process: .purchase)
    let dropoutColumns = try checked(dropout, option: "--dropout-covariates", process: .dropout)
    let spendColumns = try checked(spend, option: "--spend-covariates", process: .spend)
    let used = Set(purchaseColumns + dropoutColumns + spendColumns)
    guard !used.isEmpty else {
      throw ModelError.unusableData(
        model: model, reason: "no covariate column for any process")
    }
    let encodings = ChurnFeatureSpecification.encodings(of: attributes).filter {
      used.contains($0.column)
    }
    for encoding in encodings {
      switch encoding.kind {
      case .categorical where encoding.levels.count < 2:
        throw ModelError.unusableData(
          model: model,
          reason: "attribute column '\(encoding.column)' has a single level "
            + "(\(encoding.levels.first ?? "none")): it cannot be a covariate")
      case .numeric:
        let index = attributes.columns.firstIndex(of: encoding.column)!
        let numbers = attributes.records.compactMap { Double($0.values[index]) }
        if let first = numbers.first, numbers.allSatisfy({ $0 == first }) {
          throw ModelError.unusableData(
            model: model,
            reason: "attribute column '\(encoding.column)' is constant (\(first)): its effect "
              + "cannot be told apart from the model's scale parameters")
        }
      default: break
      }
    }
    _ = try checked(sameCoefficient, option: "--same-coefficient")
    for name in sameCoefficient
    where !purchaseColumns.contains(name) || !dropoutColumns.contains(name) {
      throw ModelError.unusableData(
        model: model,
        reason: "--same-coefficient: column '\(name)' must act on both processes (it is not in "
          + "\(purchaseColumns.contains(name) ? "--dropout-covariates" : "--purchase-covariates"))")
    }
    return CovariateDesign(
      encodings: encodings, purchaseColumns: purchaseColumns, dropoutColumns: dropoutColumns,
      fill: fill, sameCoefficientColumns: attributes.columns.filter(sameCoefficient.contains),
      spendColumns: spendColumns)
  }

  /// The covariate vectors z of the customers `customerIDs` (one per customer, in order, each
  /// of ``featureNames``'s length), from an attributes file (see
  /// ``AttributeEncoding/features(_:for:attributes:fill:model:)`` for missing and unknown
  /// values).
  public func covariates(
    for customerIDs: [String], attributes: CustomerAttributes?, model: String
  ) throws -> [[Double]] {
    let n = customerIDs.count
    let p = featureNames.count
    let values = try AttributeEncoding.features(
      encodings, for: customerIDs, attributes: attributes, fill: fill, model: model)
    return (0..<n).map { i in (0..<p).map { values[$0 * n + i] } }
  }
}
