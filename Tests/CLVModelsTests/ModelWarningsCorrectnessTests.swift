import CLVData
import CLVModels
import Testing

/// The warnings `clv train`, `clv evaluate` and `clv report` show (``ModelWarnings``).
@Suite struct ModelWarningsCorrectnessTests {
  @Test func gammaGammaWithoutFiniteMeanSpendIsFlagged() {
    // [FH2013]: the population mean spend p γ/(q − 1) exists only for q > 1.
    let model = GammaGamma(p: 4.1, q: 0.9588, gamma: 3.77)
    let warnings = ModelWarnings.warnings(of: model)
    #expect(warnings.count == 1)
    #expect(warnings.first?.hasPrefix("q = 0.9588 ≤ 1: the population mean spend") == true)
    #expect(model.populationMeanSpend == .infinity)
    #expect(ModelWarnings.warnings(of: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)).isEmpty)
    #expect(!ModelWarnings.warnings(model: "gamma-gamma", parameters: ["q": 1]).isEmpty)
  }

  @Test func fitRulesApplyToEveryModel() {
    let parameters = ["r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4]
    #expect(ModelWarnings.warnings(model: "bgnbd", parameters: parameters).isEmpty)
    #expect(
      ModelWarnings.warnings(
        model: "bgnbd", parameters: parameters, converged: false, reason: "iteration limit")
        == ["the fit did not converge (iteration limit)"])
    #expect(
      ModelWarnings.warnings(
        model: "bgnbd", parameters: parameters, converged: false, degenerate: true,
        reason: "Hessian not positive definite")
        == ["degenerate fit kept: Hessian not positive definite"])
    // A failure replaces every other warning (a failed model has no estimates).
    #expect(
      ModelWarnings.warnings(model: "gamma-gamma", parameters: ["q": 0.5], error: "no data")
        == ["failed: no data"])
    // An unknown key has no parameter rules, but the fit rules still apply.
    #expect(
      ModelWarnings.warnings(model: "future-model", parameters: ["q": 0.5], converged: false)
        == ["the fit did not converge"])
  }

  @Test func onlyGammaGammaHasAParameterRule() {
    for descriptor in ModelRegistry.all {
      let warnings = descriptor.parameterWarnings(["q": 0.5, "r": 0.5, "a": 0.5])
      #expect(warnings.isEmpty == (descriptor.kind != .spend), "\(descriptor.id)")
    }
  }
}
