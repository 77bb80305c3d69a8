import CLVData
import CLVNumerics

/// Customer attributes of known effect for ``Simulation``: one two-level text attribute (e.g.
/// `channel`: `store`, the reference, and `web`) drawn per customer, and the true covariate
/// model that turns it into each customer's generative process.
///
/// The attribute is drawn from a generator of its own (seeded from the simulation's seed), so
/// the draws do not depend on the model; each customer's purchases are then drawn from
/// ``CovariateTransactionModel/process(for:)`` at their z.
public struct SimulatedCovariates: Sendable {
  /// The true model (its base parameters and coefficients).
  public var model: any CovariateTransactionModel
  /// The attribute column's name.
  public var column: String
  /// Per customer (numbered from 1: index customer − 1), the attribute's value.
  public var values: [String]
  /// Per customer, the covariate vector z.
  public var vectors: [[Double]]
  /// δ of the attribute on spend: a customer's Gamma-Gamma scale is γ exp(δ z), so the
  /// second level's mean spend per purchase is e^δ times the reference level's
  /// (``CovariateGammaGamma``); 0: no effect on spend.
  public var spendCoefficient: Double

  /// Mixed into the simulation's seed for the attribute's generator.
  static let seedMix: UInt64 = 0xC0FA_71A7_E5EE_D001

  /// Draws the attribute for `customers` customers: the second level with probability `share`.
  ///
  /// - Parameters:
  ///   - levels: the two levels; the first in sorted order is the reference (z = 0), as
  ///     ``AttributeEncoding`` encodes it.
  ///   - coefficients: the true coefficient of each of the model's covariate links
  ///     (``ModelDescriptor/covariateLinks``), on the indicator of the second level.
  ///   - spendCoefficient: the true δ of the attribute on spend (``spendCoefficient``).
  /// - Throws: ``ModelError/unusableData(model:reason:)`` for a model without covariates, a
  ///   process without simulation, or levels that are not two distinct values.
  public init(
    descriptor: ModelDescriptor, parameters: [Double], column: String, levels: [String],
    share: Double, coefficients: [Double], spendCoefficient: Double = 0, customers: Int,
    seed: UInt64
  ) throws {
    let sorted = levels.sorted()
    guard sorted.count == 2, sorted[0] != sorted[1] else {
      throw ModelError.unusableData(
        model: descriptor.displayName, reason: "a simulated attribute needs two distinct levels")
    }
    let design = CovariateDesign(
      encodings: [
        AttributeEncoding(column: column, kind: .categorical, levels: sorted, fillValue: nil)
      ], purchaseColumns: [column], dropoutColumns: [column])
    model = try descriptor.covariateModel(
      parameters: parameters, design: design, coefficients: coefficients.map { [$0] })
    guard model.process(for: [0]) != nil else {
      throw ModelError.unusableData(
        model: descriptor.displayName, reason: "it has no generative process to simulate")
    }
    self.column = column
    self.spendCoefficient = spendCoefficient
    var rng = SeededGenerator(seed: seed ^ Self.seedMix)
    var values: [String] = []
    var vectors: [[Double]] = []
    values.reserveCapacity(customers)
    vectors.reserveCapacity(customers)
    for _ in 0..<max(customers, 0) {
      let second = rng.uniform() < share
      values.append(sorted[second ? 1 : 0])
      vectors.append([second ? 1 : 0])
    }
    self.values = values
    self.vectors = vectors
  }

  /// The generative process of customer `customer` (numbered from 1).
  func process(customer: Int) -> (any SimulatedPurchaseProcess)? {
    model.process(for: vectors[customer - 1])
  }

  /// The factor exp(δ z) on the Gamma-Gamma scale γ of customer `customer` (numbered from 1).
  func spendScale(customer: Int) -> Double {
    spendCoefficient == 0 ? 1 : Double.exp(spendCoefficient * vectors[customer - 1][0])
  }

  /// The true spend model with covariates: `spend` at the reference level, δ on the second
  /// level's indicator.
  public func spendModel(_ spend: GammaGamma) -> CovariateGammaGamma {
    let design = CovariateDesign(
      encodings: model.design.encodings, purchaseColumns: [], dropoutColumns: [],
      spendColumns: [column])
    return CovariateGammaGamma(base: spend, design: design, coefficients: [spendCoefficient])
  }

  /// The attributes file's text: `customer_id,COLUMN` with ids `c1…cN` as the orders have them.
  public var attributesCSV: String {
    var text = "customer_id,\(column)\n"
    for (i, value) in values.enumerated() { text += "c\(i + 1),\(value)\n" }
    return text
  }
}
