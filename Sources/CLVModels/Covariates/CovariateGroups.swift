import CLVData

/// Customers' histories grouped by their covariate vector z: within a group every customer
/// has the same individual parameters θ(z), so the group's likelihood is the model's own
/// likelihood on its collapsed rows (x, tₓ, T) at θ(z). Scoring and fitting therefore work on
/// distinct (x, tₓ, T, z).
///
/// - Complexity: grouping is O(n) expected (one hash of z per customer); a likelihood
///   evaluation costs the model's own cost per group, so data with few distinct z (text
///   attributes, small integers) fit about as fast as without covariates, and a continuous
///   attribute (every z distinct) costs one small evaluation per customer.
public struct CovariateGroups: Sendable {
  /// The distinct covariate vectors, in order of first appearance.
  public private(set) var covariates: [[Double]] = []
  /// Per group, its customers' collapsed histories.
  public private(set) var data: [CollapsedRFM] = []
  /// Every customer's history in one table (validated, as the model without covariates sees
  /// it: the nested fit uses it).
  public let all: CollapsedRFM

  /// Groups `rows` by `covariates` (one vector per row, compared bit for bit).
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for an invalid row (as
  ///   ``CollapsedRFM``), for data without repeat purchases, or for a covariate vector of the
  ///   wrong length or with a non-finite value.
  public init(
    _ rows: [RFMSummary.Row], weights: [Double]? = nil, covariates: [[Double]], model: String
  ) throws {
    guard covariates.count == rows.count else {
      throw ModelError.unusableData(
        model: model, reason: "\(covariates.count) covariate vectors for \(rows.count) customers")
    }
    all = try CollapsedRFM(rows, weights: weights, model: model)
    let width = covariates.first?.count ?? 0
    for (i, z) in covariates.enumerated() {
      guard z.count == width, z.allSatisfy(\.isFinite) else {
        throw ModelError.unusableData(
          model: model,
          reason:
            "customer '\(rows[i].customerID)': covariates \(z) are not \(width) finite numbers")
      }
    }
    let (vectors, members) = Self.distinct(covariates)
    self.covariates = vectors
    for group in members {
      data.append(
        try CollapsedRFM(
          group.map { rows[$0] }, weights: weights.map { w in group.map { w[$0] } },
          model: model, requireRepeatPurchases: false))
    }
  }

  /// The number of groups (distinct z).
  public var count: Int { covariates.count }

  /// The distinct vectors of `covariates` (compared bit for bit, +0 and −0 alike) in order of
  /// first appearance, and the indices into `covariates` of each one's members.
  public static func distinct(
    _ covariates: [[Double]]
  ) -> (vectors: [[Double]], members: [[Int]]) {
    var index: [[UInt64]: Int] = [:]
    var members: [[Int]] = []
    var vectors: [[Double]] = []
    for (i, z) in covariates.enumerated() {
      let key = z.map { ($0 + 0).bitPattern }  // +0.0 and −0.0 are one key
      if let g = index[key] {
        members[g].append(i)
      } else {
        index[key] = members.count
        members.append([i])
        vectors.append(z)
      }
    }
    return (vectors, members)
  }

  /// Σ over groups of their distinct rows: the distinct (x, tₓ, T, z).
  public var distinctRows: Int { data.reduce(0) { $0 + $1.count } }
}
