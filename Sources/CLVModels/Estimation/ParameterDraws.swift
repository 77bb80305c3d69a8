import CLVData
import CLVNumerics

/// Parameter draws for prediction intervals: each draw is a full set of the model's natural
/// parameters, and the interval of a prediction is the spread of that prediction over the
/// draws (``PercentileInterval``).
///
/// Two sources:
/// - **Asymptotic normal** (``init(model:count:seed:)``): the MLE of the log-parameters
///   φ = log θ is asymptotically normal with the inverse observed information as covariance, so
///   θ_d = exp(φ̂ + L z_d) with LLᵀ = Cov(φ̂) (``FitReport/logParameterCovariance``) and z_d
///   standard normal from the project's ``SeededGenerator``. On the log scale every draw is a
///   valid (positive) parameter set, and the draws follow the likelihood's asymmetry where θ
///   is near zero. [CB2002] section 10.1 (asymptotic normality of the MLE); the draws as in
///   King, Tomz & Wittenberg [KTW2000] ("statistical simulation" of quantities of interest).
/// - **Bootstrap** (``bootstrapWeights(rows:replicates:seed:)``): the model refitted on resamples of
///   the customers with replacement, CLVTools' `uncertainty = "boots"` ([CLVTools]
///   `predict(…, uncertainty = "boots")`; [ET1993] chapter 6): slower, for small data where
///   the normal approximation is doubtful.
public struct ParameterDraws: Sendable, Equatable {
  public let parameterNames: [String]
  /// One array of natural parameters per draw, in ``parameterNames`` order.
  public let values: [[Double]]

  public init(parameterNames: [String], values: [[Double]]) {
    precondition(values.allSatisfy { $0.count == parameterNames.count }, "one value per name")
    self.parameterNames = parameterNames
    self.values = values
  }

  /// `count` draws from the asymptotic normal of the log-parameters of `model`, seeded with
  /// `seed` (the same seed gives the same draws on every platform, up to the Cholesky factor's
  /// last bits). The coefficients of a model with covariates
  /// (``FittedModel/logScaleParameters`` false) are drawn on their own scale, jointly with the
  /// log-parameters (the recorded covariance holds both and their covariances): γ_d = γ̂ + (L
  /// z_d)ᵢ, which can be negative. A coefficient shared by several links (`--same-coefficient`)
  /// is one parameter, so every draw keeps the constraint.
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when the model has no
  ///   log-parameter covariance (a model file written before it was recorded, or a fit without
  ///   standard errors) or it is not a covariance (not positive semi-definite, non-finite).
  public init(model: some FittedModel, count: Int, seed: UInt64) throws {
    precondition(count > 0, "at least one draw")
    let name = type(of: model).modelName
    let theta = model.parameterValues
    let k = theta.count
    guard let covariance = model.fitReport?.logParameterCovariance else {
      throw ModelError.unusableData(
        model: name,
        reason: "no covariance of the parameters is recorded (a model file written before "
          + "clv recorded 'logParameterCovariance', or a fit without standard errors): "
          + "retrain the model to draw intervals, or use the bootstrap")
    }
    guard covariance.count == k, covariance.allSatisfy({ $0.count == k }),
      covariance.joined().allSatisfy({ $0.isFinite })
    else {
      throw ModelError.unusableData(
        model: name,
        reason: "the recorded log-parameter covariance is not a finite \(k)×\(k) matrix")
    }
    let logScale = model.logScaleParameters
    guard logScale.count == k,
      theta.indices.allSatisfy({ theta[$0].isFinite && (theta[$0] > 0 || !logScale[$0]) })
    else {
      throw ModelError.unusableData(
        model: name, reason: "parameter draws need positive, finite parameters")
    }
    let normal: MultivariateNormal
    do {
      normal = try MultivariateNormal(
        mean: theta.indices.map { logScale[$0] ? Double.log(theta[$0]) : theta[$0] },
        covariance: Matrix(covariance))
    } catch {
      throw ModelError.unusableData(
        model: name,
        reason: "the recorded log-parameter covariance is not positive definite (\(error))")
    }
    var values: [[Double]] = []
    values.reserveCapacity(count)
    for phi in normal.draws(count, seed: seed) {
      let draw = phi.indices.map { logScale[$0] ? Double.exp(phi[$0]) : phi[$0] }
      guard draw.indices.allSatisfy({ draw[$0].isFinite && (draw[$0] > 0 || !logScale[$0]) })
      else {
        throw ModelError.nonFinite(model: name, quantity: "a parameter draw")
      }
      values.append(draw)
    }
    self.init(parameterNames: model.parameterNames, values: values)
  }

  /// The number of draws.
  public var count: Int { values.count }

  /// The resampling weights of the bootstrap: for each of `replicates` resamples of n rows
  /// drawn with replacement, how often each row was drawn (Σ wᵢ = n; one uniform index per
  /// draw from a ``SeededGenerator`` seeded with `seed`). Refitting a model with these weights
  /// (``ModelDescriptor/fit(_:weights:options:)``) refits it on the resample.
  /// - Source: [ET1993] chapter 6 (the nonparametric bootstrap); CLVTools' bootstrap of
  ///   customers ([CLVTools] `predict(…, uncertainty = "boots")`).
  public static func bootstrapWeights(rows n: Int, replicates: Int, seed: UInt64) -> [[Double]] {
    precondition(n > 0 && replicates > 0, "rows and replicates")
    var generator = SeededGenerator(seed: seed)
    return (0..<replicates).map { _ in
      var weights = [Double](repeating: 0, count: n)
      for _ in 0..<n { weights[Int(generator.next() % UInt64(n))] += 1 }
      return weights
    }
  }

  /// The draws as models of the same type as `model` (built with its
  /// ``ParametricModel/init(parameters:fitReport:)``, without fit reports), as `Kind` (e.g.
  /// `(any TransactionModel).self`).
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when `model` is not a model with a
  ///   fixed list of parameters, or the draws do not have its parameters.
  public func models<Kind>(like model: any FittedModel, as _: Kind.Type) throws -> [Kind] {
    let name = type(of: model).modelName
    guard let parametric = model as? any ParametricModel,
      parametric.parameterNames == parameterNames
    else {
      throw ModelError.unusableData(
        model: name, reason: "parameter draws need a model with a fixed list of parameters")
    }
    func build<Model: ParametricModel>(_: Model) -> [any ParametricModel] {
      values.map { Model(parameters: $0, fitReport: nil) }
    }
    return try build(parametric).map { drawn in
      guard let typed = drawn as? Kind else {
        throw ModelError.unusableData(model: name, reason: "a draw is not of the model's kind")
      }
      return typed
    }
  }
}

extension ParameterDraws {
  /// The draws as models with covariates like `model` (each draw's base parameters and free
  /// coefficients, ``CovariateTransactionModel/withDrawnParameters(_:)``).
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when the draws do not have the
  ///   model's parameters.
  public func covariateModels(
    like model: any CovariateTransactionModel
  ) throws -> [any CovariateTransactionModel] {
    guard model.parameterNames == parameterNames else {
      throw ModelError.unusableData(
        model: type(of: model).modelName, reason: "the draws do not have the model's parameters")
    }
    return values.map { model.withDrawnParameters($0) }
  }
}

extension ParametricModel {
  /// The model with other parameters (in ``ParametricModel/parameterNames`` order), no fit
  /// report: what a parameter draw evaluates.
  public func withParameters(_ parameters: [Double]) -> Self {
    Self(parameters: parameters, fitReport: nil)
  }
}
