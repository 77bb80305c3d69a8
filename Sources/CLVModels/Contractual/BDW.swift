import CLVData
import CLVNumerics

/// The beta-discrete-Weibull (BdW) model of contract renewals: the sBG with duration
/// dependence.
///
/// A subscriber's lifetime is discrete Weibull, S(t | θ, c) = (1 − θ)^(t^c): with c < 1 the
/// subscriber's own cancellation probability falls with tenure, with c > 1 it rises, c = 1 is
/// the shifted geometric of the sBG. θ is beta(γ, δ) across subscribers, so
/// S(t) = B(γ, δ + t^c)/B(γ, δ). Times are in contract periods (unit `opportunity`).
///
/// - Source: [FHLDS2018] Fader, Hardie, Liu, Davin & Steenburgh (2018), "'How to Project
///   Customer Retention' Revisited: The Role of Duration Dependence", J. Interactive Marketing
///   43 (the BdW survivor function and P(T = t) = S(t − 1) − S(t)); c = 1: [FH2007].
public struct BDW: ContractualModel, Equatable {
  public static let modelName = "BdW"
  public static let modelID = "bdw"
  public static let parameterNames = ["gamma", "delta", "c"]

  public var gamma: Double
  public var delta: Double
  /// The Weibull shape: duration dependence of the individual cancellation probability.
  public var c: Double
  public var fitReport: FitReport?

  public init(gamma: Double, delta: Double, c: Double, fitReport: FitReport? = nil) {
    self.gamma = gamma
    self.delta = delta
    self.c = c
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 3, "BdW has 3 parameters")
    self.init(gamma: parameters[0], delta: parameters[1], c: parameters[2], fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [gamma, delta, c] }

  /// log S(t) = log B(γ, δ + t^c) − log B(γ, δ).
  /// - Source: [FHLDS2018] (BdW survivor function).
  public func logSurvival(_ t: Int) -> Double {
    BetaDiscreteWeibullKernel.logSurvival(t, gamma: gamma, delta: delta, c: c)
  }

  /// log P(T = t) = log(S(t − 1) − S(t)), in log space.
  /// - Source: [FHLDS2018].
  public func logProbabilityOfLifetime(_ t: Int) -> Double {
    BetaDiscreteWeibullKernel.logProbabilityOfLifetime(t, gamma: gamma, delta: delta, c: c)
  }

  /// E[T] = Σ_{t≥0} S(t) by summation with a tail estimate (S(t) ~ C t^(−cγ)); nil (infinite)
  /// when cγ ≤ 1, or when the sum does not settle by 2²⁴ periods.
  public var expectedLifetime: Double? {
    c * gamma > 1 ? expectedLifetimeBySummation() : nil
  }

  /// Σ_t n_t log P(T = t) + Σ_a m_a log S(a).
  /// - Source: [FHLDS2018]; the censored term as [FH2007] Appendix B.
  public func logLikelihood(of durations: ContractDurations) -> Double {
    BetaDiscreteWeibullKernel.logLikelihood(durations, gamma: gamma, delta: delta, c: c)
  }

  /// Fits γ, δ, c by maximum likelihood (exact gradient by dual numbers). The first start is
  /// the sBG estimate with c = 1 (the BdW nests the sBG), then (1, 1, 1), (1, 1, 0.5) and
  /// (1, 1, 2).
  /// - Throws: ``ModelError`` (no subscriber, no convergence, degenerate fit).
  public static func fit(_ durations: ContractDurations, options: FitOptions) throws -> BDW {
    var starts: [[Double]] = [[1, 1, 1], [1, 1, 0.5], [1, 1, 2]]
    var quiet = options
    quiet.progress = nil
    if let sbg = try? SBG.fit(durations, options: quiet) {
      starts.insert([sbg.gamma, sbg.delta, 1], at: 0)
    }
    let estimate = try BetaDiscreteWeibullKernel.fit(
      durations, modelName: modelName, parameterNames: parameterNames, starts: starts,
      options: options)
    return BDW(parameters: estimate.parameters, fitReport: estimate.report)
  }
}
