import CLVData
import CLVNumerics

/// The shifted-beta-geometric (sBG) model of contract renewals.
///
/// At the end of each period a subscriber renews with probability 1 − θ and cancels with
/// probability θ, constant over time for the subscriber (shifted-geometric lifetime,
/// P(T = t | θ) = θ(1 − θ)^(t−1)); θ varies across subscribers as beta(γ, δ). Aggregate
/// retention rates rise with tenure through sorting alone (the high-θ subscribers leave first).
/// Times are in contract periods (the model file's unit `opportunity`).
///
/// - Source: [FH2007] Fader & Hardie (2007), "How to Project Customer Retention", J. Interactive
///   Marketing 21(1): eqs. (3)–(4) (individual), (5) P(T = t), (6) S(t), (8) r_t; Appendix B
///   (log-likelihood). Lifetime value: [FH2010].
public struct SBG: ContractualModel, Equatable {
  public static let modelName = "sBG"
  public static let modelID = "sbg"
  public static let parameterNames = ["gamma", "delta"]

  /// γ, δ: the beta distribution of the per-period churn probability θ.
  public var gamma: Double
  public var delta: Double
  public var fitReport: FitReport?

  public init(gamma: Double, delta: Double, fitReport: FitReport? = nil) {
    self.gamma = gamma
    self.delta = delta
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 2, "sBG has 2 parameters")
    self.init(gamma: parameters[0], delta: parameters[1], fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [gamma, delta] }

  /// log S(t) = log B(γ, δ + t) − log B(γ, δ).
  /// - Source: [FH2007] eq. (6).
  public func logSurvival(_ t: Int) -> Double {
    BetaDiscreteWeibullKernel.logSurvival(t, gamma: gamma, delta: delta, c: nil)
  }

  /// log P(T = t) = log B(γ + 1, δ + t − 1) − log B(γ, δ).
  /// - Source: [FH2007] eq. (5).
  public func logProbabilityOfLifetime(_ t: Int) -> Double {
    BetaDiscreteWeibullKernel.logProbabilityOfLifetime(t, gamma: gamma, delta: delta, c: nil)
  }

  /// The retention rate in closed form, r_t = (δ + t − 1)/(γ + δ + t − 1).
  /// - Source: [FH2007] eq. (8).
  public func closedFormRetentionRate(_ t: Int) -> Double {
    (delta + Double(t) - 1) / (gamma + delta + Double(t) - 1)
  }

  /// E[T] = E[1/θ] = B(γ − 1, δ)/B(γ, δ) = (γ + δ − 1)/(γ − 1) for γ > 1; infinite (nil) for
  /// γ ≤ 1.
  /// - Source: the mean of the shifted geometric, 1/θ, under the beta(γ, δ) density of
  ///   [FH2007] eq. (4).
  public var expectedLifetime: Double? {
    gamma > 1 ? (gamma + delta - 1) / (gamma - 1) : nil
  }

  /// DERL in closed form: (δ + a)/(γ + δ + a) · 2F1(1, δ + a + 1; γ + δ + a + 1; 1/(1 + d)).
  /// ``discountedExpectedResidualLifetime(renewals:discountRate:)`` sums the series instead;
  /// the tests compare the two.
  /// - Source: [FH2010] (DERL of the sBG, a customer with n − 1 = a renewals).
  public func closedFormDERL(renewals a: Int, discountRate d: Double) -> Double {
    let n = Double(a)
    let logF = logHypergeometric2F1(1, delta + n + 1, gamma + delta + n + 1, 1 / (1 + d))
    return (delta + n) / (gamma + delta + n) * Double.exp(logF)
  }

  /// DEL in closed form: 2F1(1, δ; γ + δ; 1/(1 + d)).
  /// - Source: [FH2010] (DEL of the sBG).
  public func closedFormDEL(discountRate d: Double) -> Double {
    Double.exp(logHypergeometric2F1(1, delta, gamma + delta, 1 / (1 + d)))
  }

  /// Σ_t n_t log P(T = t) + Σ_a m_a log S(a).
  /// - Source: [FH2007] Appendix B.
  public func logLikelihood(of durations: ContractDurations) -> Double {
    BetaDiscreteWeibullKernel.logLikelihood(durations, gamma: gamma, delta: delta, c: nil)
  }

  /// Fits γ, δ by maximum likelihood (exact gradient by dual numbers), from the starts (1, 1),
  /// (0.01, 0.01) — the two of [FH2007] Appendix B — and (0.5, 2).
  /// - Throws: ``ModelError`` (no subscriber, no convergence, degenerate fit).
  public static func fit(_ durations: ContractDurations, options: FitOptions) throws -> SBG {
    let estimate = try BetaDiscreteWeibullKernel.fit(
      durations, modelName: modelName, parameterNames: parameterNames,
      starts: [[1, 1], [0.01, 0.01], [0.5, 2]], options: options)
    return SBG(parameters: estimate.parameters, fitReport: estimate.report)
  }
}
