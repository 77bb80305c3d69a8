/// Errors of the holdout evaluation. Each description leads with what was being evaluated.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The sample cannot be evaluated (no customers, one class only, mismatched lengths, …).
  case unusableSample(what: String, reason: String)
  /// A computed measure is NaN or infinite (it would otherwise reach the run file).
  case nonFinite(what: String, quantity: String)

  public var description: String {
    switch self {
    case .unusableSample(let what, let reason): return "\(what): \(reason)"
    case .nonFinite(let what, let quantity): return "\(what): \(quantity) is not finite"
    }
  }

  /// 65 (bad input data) for an unusable sample, 70 (internal failure) for a non-finite result.
  public var exitCode: Int32 {
    switch self {
    case .unusableSample: return 65
    case .nonFinite: return 70
    }
  }
}
