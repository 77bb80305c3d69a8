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
  /// Wall-clock seconds the whole fit (every start) may take; nil = no limit. A fit that
  /// reaches it stops with ``ModelError/budgetExhausted(model:seconds:evaluations:best:)``.
  public var timeLimit: Double? = 600
  /// Likelihood evaluations the whole fit (every start) may take (each computes the value and
  /// the gradient); reaching it also stops the fit with ``ModelError/budgetExhausted``.
  public var maxEvaluations = 100_000
  /// Called (on the fitting thread) when the fit has run for 2 s, then every 5 s, with the
  /// elapsed time and the best point so far: for a progress line on a terminal.
  public var progress: (@Sendable (FitProgress) -> Void)? = nil

  public init(
    penalizer: Double = 0, allowDegenerate: Bool = false,
    optimization: OptimizationOptions = OptimizationOptions(), starts: [[Double]]? = nil,
    timeLimit: Double? = 600, maxEvaluations: Int = 100_000,
    progress: (@Sendable (FitProgress) -> Void)? = nil
  ) {
    self.penalizer = penalizer
    self.allowDegenerate = allowDegenerate
    self.optimization = optimization
    self.starts = starts
    self.timeLimit = timeLimit
    self.maxEvaluations = maxEvaluations
    self.progress = progress
  }
}
