import CLVData
import TestSupport
import Testing

@testable import CLVModels

/// Identities of the contractual models: the BdW with c = 1 is the sBG, probabilities sum to
/// one, the survival curve sums to the expected lifetime, the closed forms agree with the
/// definitions, the dual-number gradient agrees with finite differences, and both input layouts
/// give the same durations.
@Suite struct ContractualConsistencyTests {
  static let parameters: [(Double, Double)] = [(0.704, 1.182), (0.668, 3.806), (3, 2), (0.2, 40)]

  @Test func theBdWWithCOneIsTheSBG() throws {
    let durations = try ContractualFixtures.calibration(ContractualFixtures.highEnd)
    for (gamma, delta) in Self.parameters {
      let sbg = SBG(gamma: gamma, delta: delta)
      let bdw = BDW(gamma: gamma, delta: delta, c: 1)
      for t in [0, 1, 2, 7, 50, 1000] {
        assertClose(bdw.logSurvival(t), sbg.logSurvival(t), absolute: 1e-12, source: "c = 1")
      }
      for t in [1, 2, 7, 50, 1000] {
        assertClose(
          bdw.logProbabilityOfLifetime(t), sbg.logProbabilityOfLifetime(t), relative: 1e-8,
          source: "c = 1: S(t − 1) − S(t) against [FH2007] eq. (5); the difference loses about "
            + "log10(t) digits")
      }
      assertClose(
        bdw.logLikelihood(of: durations), sbg.logLikelihood(of: durations), relative: 1e-12,
        source: "c = 1")
      assertClose(
        try bdw.discountedExpectedResidualLifetime(renewals: 3, discountRate: 0.05),
        try sbg.discountedExpectedResidualLifetime(renewals: 3, discountRate: 0.05),
        relative: 1e-12, source: "c = 1")
    }
  }

  @Test func lifetimeProbabilitiesAndSurvivalSumToOne() {
    for (gamma, delta) in Self.parameters {
      for model in [
        SBG(gamma: gamma, delta: delta) as any ContractualModel,
        BDW(gamma: gamma, delta: delta, c: 0.6), BDW(gamma: gamma, delta: delta, c: 1.8),
      ] {
        var total = 0.0
        for t in 1...60 { total += Double.exp(model.logProbabilityOfLifetime(t)) }
        assertClose(total + model.survival(60), 1, absolute: 1e-12, source: "Σ P(T = t) + S(60)")
        for t in 1...60 {
          #expect(model.survival(t) <= model.survival(t - 1), "S is non-increasing")
          let rate = model.retentionRate(t)
          #expect(rate > 0 && rate < 1, "retention rate in (0, 1)")
        }
      }
    }
  }

  @Test func survivalSumsToTheExpectedLifetime() throws {
    // γ > 1: E[T] = (γ + δ − 1)/(γ − 1) is finite; the summed survival curve reaches it.
    for (gamma, delta) in [(3.0, 2.0), (2.5, 0.7), (5, 20)] {
      let sbg = SBG(gamma: gamma, delta: delta)
      let closed = try #require(sbg.expectedLifetime)
      let summed = try #require(sbg.expectedLifetimeBySummation())
      assertClose(summed, closed, relative: 1e-8, source: "Σ S(t) = E[T] = (γ+δ−1)/(γ−1)")
      let bdw = try #require(BDW(gamma: gamma, delta: delta, c: 1).expectedLifetime)
      assertClose(bdw, closed, relative: 1e-8, source: "BdW c = 1 summation")
      // E[min(T, H)] increases to E[T].
      let within = sbg.expectedLifetime(within: 200)
      #expect(within < closed && within > 0.9 * closed)
    }
    #expect(SBG(gamma: 0.704, delta: 1.182).expectedLifetime == nil, "γ ≤ 1: infinite")
    #expect(BDW(gamma: 0.9, delta: 2.5, c: 1.05).expectedLifetime == nil, "cγ ≤ 1: infinite")
  }

  @Test func closedFormsAgreeWithTheDefinitions() throws {
    for (gamma, delta) in Self.parameters {
      let sbg = SBG(gamma: gamma, delta: delta)
      for t in [1, 2, 5, 30] {
        assertClose(
          sbg.retentionRate(t), sbg.closedFormRetentionRate(t), relative: 1e-12,
          source: "FH2007 eq. (8) against S(t)/S(t−1)")
      }
      for d in [0.05, 0.1, 0.3] {
        assertClose(
          try sbg.discountedExpectedLifetime(discountRate: d), sbg.closedFormDEL(discountRate: d),
          relative: 1e-9, source: "FH2010 DEL 2F1 form against the summed series")
        for a in [0, 3, 10] {
          assertClose(
            try sbg.discountedExpectedResidualLifetime(renewals: a, discountRate: d),
            sbg.closedFormDERL(renewals: a, discountRate: d), relative: 1e-9,
            source: "FH2010 DERL 2F1 form against the summed series")
        }
        // DEL = 1 + DERL(d | 0)/(1 + d): the first payment, then a subscriber with 0 renewals.
        assertClose(
          try sbg.discountedExpectedLifetime(discountRate: d),
          1 + (try sbg.discountedExpectedResidualLifetime(renewals: 0, discountRate: d)) / (1 + d),
          relative: 1e-12, source: "DEL/DERL identity")
      }
    }
    #expect(throws: ModelError.self) {
      try SBG(gamma: 1, delta: 1).discountedExpectedLifetime(discountRate: 0)
    }
  }

  @Test func theDualNumberGradientMatchesCentralDifferences() throws {
    let durations = try ContractualFixtures.calibration(ContractualFixtures.regular)
    for point in [[0.7, 1.2], [0.3, 4.0], [0.45, 0.78, 1.28], [2.0, 0.5, 0.6]] {
      var gradient: [Double] = []
      _ = BetaDiscreteWeibullKernel.logLikelihoodWithGradient(
        durations, parameters: point, gradient: &gradient)
      for i in point.indices {
        let h = 1e-6 * point[i]
        var up = point
        var down = point
        up[i] += h
        down[i] -= h
        var ignored: [Double] = []
        let difference =
          (BetaDiscreteWeibullKernel.logLikelihoodWithGradient(
            durations, parameters: up, gradient: &ignored)
            - BetaDiscreteWeibullKernel.logLikelihoodWithGradient(
              durations, parameters: down, gradient: &ignored)) / (2 * h)
        assertClose(
          gradient[i], difference, relative: 1e-5,
          source: "central differences, step 1e-6 relative (truncation and rounding ~1e-7)")
      }
    }
  }

  @Test func bothLayoutsGiveTheSameDurations() throws {
    // The Regular cohort written as one row per subscriber, all starting in period 3 (only
    // differences of periods matter), gives the cohort file's durations.
    var text = "customer_id,start_period,end_period\n"
    var id = 0
    let alive = ContractualFixtures.regular
    for t in 1...12 {
      for _ in 0..<(alive[t - 1] - alive[t]) {
        id += 1
        text += "s\(id),3,\(3 + t)\n"
      }
    }
    for _ in 0..<alive[12] {
      id += 1
      text += "s\(id),3,\n"
    }
    let subscribers = try SubscriberData.parse(Array(text.utf8), file: "subscribers.csv")
    let cohort = try SubscriberData.parse(ContractualFixtures.cohortCSV(alive), file: "cohort.csv")
    #expect(try subscribers.durations(asOf: 10) == cohort.durations(asOf: 7))
    #expect(try subscribers.durations() == cohort.durations())
    #expect(try cohort.durations().subscribers == 1000)
  }
}

/// The BdW fit recovers the parameters of its own generative process (SubscriberSimulation).
@Suite struct ContractualRecoveryConsistencyTests {
  @Test func theBdWRecoversSimulatedParameters() throws {
    let truth = [0.8, 2.5, 0.7]
    let data = SubscriberSimulation.subscribers(
      count: 20_000, gamma: truth[0], delta: truth[1], c: truth[2], starts: 24, asOf: 24,
      seed: 17)
    let bdw = try BDW.fit(data.durations(), options: FitOptions())
    let errors = try #require(bdw.fitReport?.standardErrors)
    for (index, name) in BDW.parameterNames.enumerated() {
      // 4 standard errors: a seeded draw, fails with probability < 1e-4 per parameter.
      #expect(
        abs(bdw.parameterValues[index] - truth[index]) < 4 * errors[index],
        "\(name) = \(bdw.parameterValues[index]) ± \(errors[index]), truth \(truth[index])")
    }
  }
}
