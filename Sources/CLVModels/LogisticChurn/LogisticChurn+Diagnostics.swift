import CLVData
import CLVNumerics
import Foundation
import RealModule

// MARK: - Diagnostics: standardization, collinearity, separation

extension LogisticChurn {
  /// A standardized coefficient beyond this, with fitted probabilities numerically 0 or 1,
  /// is taken as a coefficient diverging under quasi-complete separation.
  static let separationCoefficient = 30.0

  /// Means and population standard deviations; throws for a non-finite or constant feature.
  static func standardization(_ x: Matrix, featureNames: [String]) throws -> [FeatureScaling] {
    let n = x.rows
    return try (0..<x.columns).map { j in
      let offset = j * n
      var sum = 0.0
      for i in 0..<n {
        let v = x.elements[offset + i]
        guard v.isFinite else {
          throw ModelError.unusableData(
            model: modelName, reason: "feature '\(featureNames[j])' is not finite for row \(i + 1)")
        }
        sum += v
      }
      let mean = sum / Double(n)
      var squares = 0.0
      for i in 0..<n {
        let d = x.elements[offset + i] - mean
        squares += d * d
      }
      let sd = (squares / Double(n)).squareRoot()
      guard sd > 1e-12 * max(1, abs(mean)) else {
        throw ModelError.unusableData(
          model: modelName,
          reason: "feature '\(featureNames[j])' is constant (\(mean)) and collinear with the "
            + "intercept; drop it")
      }
      return FeatureScaling(mean: mean, standardDeviation: sd)
    }
  }

  /// Tolerance on 1 − R²ⱼ below which feature j counts as a linear combination of the earlier
  /// features (variance inflation factor above 10⁸).
  static let collinearityTolerance = 1e-8

  /// Detects collinear features by a sequential (Gram–Schmidt-like) Cholesky of the feature
  /// correlation matrix R = ZᵀZ / n (Z standardized, so R is the correlation matrix).
  ///
  /// Adding features one at a time, 1 − R²ₖ of feature k regressed on features 1…k−1 is the
  /// ratio of determinants det Rₖ / det Rₖ₋₁ of the leading blocks (the squared k-th Cholesky
  /// pivot). The first feature with 1 − R²ₖ below ``collinearityTolerance`` is named, with the
  /// earlier features that carry weight in its regression.
  ///
  /// - Source: [GVL2013] §4.2 (Cholesky factorization; pivots as Schur complements);
  ///   [BKW1980] ch. 3 (collinearity diagnostics).
  ///
  /// - Parameter gram: ZᵀZ of the standardized design with its leading column of ones.
  static func checkCollinearity(gram: Matrix, featureNames: [String]) throws {
    let p = gram.columns - 1
    guard p >= 2 else { return }
    let n = gram[0, 0]
    var correlation = Matrix(rows: p, columns: p)
    for j in 0..<p {
      for k in 0..<p { correlation[j, k] = gram[j + 1, k + 1] / n }
    }
    var previous = Cholesky?.none
    var previousLogDeterminant = 0.0
    for k in 1...p {
      var block = Matrix(rows: k, columns: k)
      for j in 0..<k {
        for l in 0..<k { block[j, l] = correlation[j, l] }
      }
      let factor = try? Cholesky(block)
      let residual = factor.map { exp($0.logDeterminant - previousLogDeterminant) } ?? 0
      if residual < collinearityTolerance || !residual.isFinite {
        var partners: [String] = []
        if let previous {
          let weights = (try? previous.solve((0..<(k - 1)).map { correlation[$0, k - 1] })) ?? []
          let largest = weights.map(abs).max() ?? 0
          partners = weights.indices.filter { abs(weights[$0]) >= 1e-3 * largest }
            .map { "'\(featureNames[$0])'" }
        }
        let with = partners.isEmpty ? "earlier features" : partners.joined(separator: ", ")
        throw ModelError.unusableData(
          model: modelName,
          reason: "feature '\(featureNames[k - 1])' is collinear with \(with) "
            + "(1 − R² = \(NumberText.significant(residual))); drop one of them")
      }
      previous = factor
      previousLogDeterminant = factor?.logDeterminant ?? 0
    }
  }

  /// Complete or quasi-complete separation by a single feature: every churner's value is on
  /// one side of (or at) a threshold and every non-churner's on the other. The maximum-likelihood
  /// estimate then does not exist.
  ///
  /// - Source: [AA1984] (complete and quasi-complete separation: the MLE does not exist).
  static func checkUnivariateSeparation(
    _ x: Matrix, churned: [Bool], featureNames: [String]
  ) throws {
    let n = x.rows
    guard n > 0 else { return }
    let churners = churned.indices.filter { churned[$0] }
    let stayers = churned.indices.filter { !churned[$0] }
    for j in 0..<x.columns {
      var churnMin = Double.infinity, churnMax = -Double.infinity
      var stayMin = Double.infinity, stayMax = -Double.infinity
      // Over index lists rather than a branch per row (the labels are in no particular order).
      x.elements.withUnsafeBufferPointer { x in
        let column = x.baseAddress! + j * n
        for i in churners {
          let v = column[i]
          if v < churnMin { churnMin = v }
          if v > churnMax { churnMax = v }
        }
        for i in stayers {
          let v = column[i]
          if v < stayMin { stayMin = v }
          if v > stayMax { stayMax = v }
        }
      }
      let description: String
      if churnMin > stayMax || stayMin > churnMax {
        description = "completely separates"
      } else if churnMin == stayMax || stayMin == churnMax {
        description = "quasi-completely separates"
      } else {
        continue
      }
      let (low, high) = churnMin >= stayMax ? ("active", "churned") : ("churned", "active")
      let threshold = churnMin >= stayMax ? stayMax : churnMax
      throw ModelError.unusableData(
        model: modelName,
        reason: "feature '\(featureNames[j])' \(description) churners from active customers "
          + "(\(low) ≤ \(NumberText.significant(threshold)) ≤ \(high)): the maximum-likelihood estimate does "
          + "not exist; drop the feature or use an L2 penalty (--l2)")
    }
  }

  static func separationError(
    _ newton: NewtonResult, featureNames: [String], iterations: Int
  ) -> ModelError {
    // The diverging direction: the feature with the largest standardized coefficient.
    let b = newton.coefficients.dropFirst()
    let j = b.indices.max { abs(b[$0]) < abs(b[$1]) }.map { $0 - 1 } ?? 0
    return ModelError.unusableData(
      model: modelName,
      reason:
        "complete or quasi-complete separation: the coefficient of feature '\(featureNames[j])' "
        + "diverges (standardized \(NumberText.significant(newton.coefficients[j + 1])) after \(iterations) "
        + "iterations) and \(newton.extremeProbabilities) fitted probabilities are numerically "
        + "0 or 1; the maximum-likelihood estimate does not exist; drop the feature or use an L2 "
        + "penalty (--l2)")
  }
}
