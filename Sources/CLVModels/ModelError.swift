import CLVData

/// Errors of fitting, loading and using models (exit 70 unless said otherwise).
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The optimizer stopped without meeting its convergence criteria.
  case didNotConverge(model: String, iterations: Int, gradientNorm: Double)
  /// The Hessian at the optimum is not positive definite: standard errors do not exist.
  case degenerateFit(model: String, reason: String)
  /// The data cannot be used by this model (e.g. no repeat buyers for Gamma-Gamma). Exit 65.
  case unusableData(model: String, reason: String)
  /// A computed value is NaN or infinite; clvkit never writes such values.
  case nonFinite(model: String, quantity: String)
  /// The fit reached its time or evaluation budget (``FitOptions/timeLimit``,
  /// ``FitOptions/maxEvaluations``) before converging; `best` is the best point so far.
  case budgetExhausted(model: String, seconds: Double, evaluations: Int, best: String?)
  /// A model file is unreadable, of another schema, or of another model. Exit 65.
  case invalidModelFile(path: String, reason: String)

  public var description: String {
    switch self {
    case .didNotConverge(let model, let iterations, let gradientNorm):
      return "\(model): the fit did not converge after \(iterations) iterations "
        + "(gradient norm \(gradientNorm)); rerun with --allow-degenerate to keep it anyway"
    case .degenerateFit(let model, let reason):
      return "\(model): degenerate fit: \(reason); rerun with --allow-degenerate to keep it anyway"
    case .unusableData(let model, let reason):
      return "\(model): \(DataError.shown(reason, limit: 400))"
    case .nonFinite(let model, let quantity):
      return "\(model): \(quantity) is not finite"
    case .budgetExhausted(let model, let seconds, let evaluations, let best):
      var text = "\(model): the fit stopped at its budget after \(Int(seconds.rounded())) s and "
      text += "\(evaluations) likelihood evaluations without converging"
      if let best { text += " (best so far: \(best))" }
      text += "; parameters growing without bound mean the data do not identify the model "
      text += "(try --penalizer); otherwise raise --fit-time-limit"
      return text
    case .invalidModelFile(let path, let reason):
      // Values quoted in the reason come from the file: one short line whatever they hold.
      return "\(path): not a usable model file: \(DataError.shown(reason, limit: 400))"
    }
  }

  public var exitCode: Int32 {
    switch self {
    case .unusableData, .invalidModelFile: return 65
    default: return 70
    }
  }
}
