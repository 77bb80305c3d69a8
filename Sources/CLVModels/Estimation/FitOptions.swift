import CLVNumerics

/// How to fit a model by maximum likelihood. Every field has a default.
public struct FitOptions: Sendable {
  /// L2 penalizer coefficient c, with the meaning of lifetimes' `penalizer_coef`: the fit
  /// minimizes `−log L / N + c · Σᵢ (sᵢ θᵢ)²`, N the number of customers and sᵢ the time
  /// scale lifetimes applies to the parameter (1 / max T for α (and β) of the
  /// purchase-count models, 1 otherwise). 0 = plain maximum likelihood.
  ///
  /// - Source: lifetimes 0.11.3, `BetaGeoFitter._negative_log_likelihood` (and the other
  ///   fitters), with `_scale_time(T) = 1 / max(T)`.
  public var penalizer: Double = 0
  /// Keep a fit that did not converge, whose Hessian is not positive definite, or whose
  /// parameters ran to the edge of the log scale; it is flagged `FitReport.degenerate`.
  public var allowDegenerate = false
  /// Optimizer settings for L-BFGS (and the Nelder–Mead fallback).
  public var optimization = OptimizationOptions()
  /// Starting points in the natural parameters; nil = the model's own deterministic starts.
  public var starts: [[Double]]? = nil

  public init(
    penalizer: Double = 0, allowDegenerate: Bool = false,
    optimization: OptimizationOptions = OptimizationOptions(), starts: [[Double]]? = nil
  ) {
    self.penalizer = penalizer
    self.allowDegenerate = allowDegenerate
    self.optimization = optimization
    self.starts = starts
  }
}
