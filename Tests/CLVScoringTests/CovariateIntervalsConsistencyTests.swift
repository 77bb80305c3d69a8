import CLVData
import CLVModels
import CLVNumerics
import CLVScoring
import Foundation
import TestSupport
import Testing

/// Prediction intervals of a purchase model with covariates (`clv score --intervals` with
/// `--attributes`): draws of the parameters and coefficients together (coefficients on their
/// own scale, shared coefficients kept shared), each customer scored at the draw's θ(z); at
/// zero coefficients they are the intervals of the model without covariates.
@Suite struct CovariateIntervalsConsistencyTests {
  /// One two-level attribute (`channel`: store = 0, web = 1) for both processes.
  static func design(shared: Bool = false) throws -> CovariateDesign {
    let attributes = try CustomerAttributes(
      csv: "customer_id,channel\na,store\nb,web\n", file: "attributes.csv")
    return try CovariateDesign.learn(
      from: attributes, purchase: ["channel"], dropout: ["channel"], fill: false,
      sameCoefficient: shared ? ["channel"] : [], model: "BG/NBD")
  }

  /// `n` customers of BG/NBD with a channel effect (purchase 0.5, dropout_a 0.4), observed for
  /// T ~ U(26, 39) weeks; every other customer is on the web.
  static func simulated(
    _ n: Int, seed: UInt64
  ) throws -> (rows: [RFMSummary.Row], vectors: [[Double]], truth: StaticCovariateModel<BGNBD>) {
    let truth = StaticCovariateModel(
      base: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), design: try design(),
      coefficients: [[0.5], [0.4], [0]])
    var rng = SeededGenerator(seed: seed)
    var rows: [RFMSummary.Row] = []
    var vectors: [[Double]] = []
    for i in 0..<n {
      let z: [Double] = [Double(i % 2)]
      let age = 26 + 13 * rng.uniform()
      var x = 0
      var last = 0.0
      truth.model(for: z).simulateRepeatPurchases(unitDays: 1, using: &rng) { clock, _ in
        guard clock <= age else { return false }
        x += 1
        last = clock
        return true
      }
      rows.append(
        RFMSummary.Row(
          customerID: "c\(i)", frequency: x, recency: last, age: age,
          monetaryValue: x > 0 ? 20 + Double(i % 7) : 0))
      vectors.append(z)
    }
    return (rows, vectors, truth)
  }

  /// With every coefficient 0 at every draw, each customer's model is the draw's base model
  /// exactly (θ · e⁰ = θ), so the intervals equal those of the model without covariates from
  /// the same base draws, bit for bit, whatever the customers' covariates.
  @Test func zeroCoefficientsGiveTheIntervalsOfTheModelWithoutCovariates() throws {
    let (rows, vectors, _) = try Self.simulated(600, seed: 3)
    let bgnbd = try BGNBD.fit(RFMSummary(rows: rows, unit: .week))
    let spend = try GammaGamma.fit(RFMSummary(rows: rows, unit: .week))
    let draws = try ParameterDraws(model: bgnbd, count: 25, seed: 5)
    let spendDraws = try ParameterDraws(model: spend, count: 25, seed: 6)
      .models(like: spend, as: (any SpendModel).self)
    let plain = try draws.models(like: bgnbd, as: (any TransactionModel).self)
    let covariateModel = StaticCovariateModel(
      base: bgnbd, design: try Self.design(), coefficients: [[0], [0], [0]])
    let covariateDraws = draws.values.map { covariateModel.withParameters($0 + [0, 0, 0]) }
    let withCovariates = try PredictionIntervals(
      rows: rows,
      request: .init(level: 0.9, covariateModels: covariateDraws, spend: spendDraws),
      covariates: vectors, horizon: 26, discountRate: 0.01, margin: 0.3)
    let without = try PredictionIntervals(
      rows: rows, request: .init(level: 0.9, transactions: plain, spend: spendDraws),
      horizon: 26, discountRate: 0.01, margin: 0.3)
    #expect(withCovariates == without)
    // A nonzero coefficient changes them (the check above can fail).
    let shifted = draws.values.map { covariateModel.withParameters($0 + [0.3, 0, 0]) }
    let other = try PredictionIntervals(
      rows: rows, request: .init(level: 0.9, covariateModels: shifted, spend: spendDraws),
      covariates: vectors, horizon: 26, discountRate: 0.01, margin: 0.3)
    #expect(other.expectedPurchases != without.expectedPurchases)
  }

  /// The coefficients are drawn on their own scale, jointly with the log-parameters: over
  /// 4,000 draws the sample mean of each coefficient is within 4 standard errors (σ/√4000) of
  /// the estimate, a coefficient near 0 takes both signs, the covariance of log α and the
  /// purchase coefficient is the recorded one within 4 standard errors of a sample covariance
  /// (√((σ₁²σ₂² + c²)/n)), and the base parameters stay positive.
  @Test func coefficientsAreDrawnOnTheirOwnScaleJointlyWithTheLogParameters() throws {
    let names = [
      "r", "alpha", "a", "b", "purchase.channel=web", "dropout_a.channel=web",
      "dropout_b.channel=web",
    ]
    // Variances 0.01 for the log-parameters, 0.04 for the coefficients; log α and the
    // purchase coefficient correlated (covariance 0.012, correlation 0.6).
    var covariance = (0..<7).map { i in
      (0..<7).map { j in i == j ? (i < 4 ? 0.01 : 0.04) : 0.0 }
    }
    covariance[1][4] = 0.012
    covariance[4][1] = 0.012
    let report = FitReport(
      logLikelihood: -1, standardErrors: nil, iterations: 1, functionEvaluations: 1,
      gradientNorm: 0, converged: true, seconds: 0, customers: 1000, distinctRows: 1000)
    var withCovariance = report
    withCovariance.logParameterCovariance = covariance
    let model = StaticCovariateModel(
      base: BGNBD(r: 0.24, alpha: 4.4, a: 0.79, b: 2.4), design: try Self.design(),
      coefficients: [[-0.3], [0.02], [0.5]], fitReport: withCovariance)
    #expect(model.parameterNames == names)
    let n = 4000
    let drawn = try ParameterDraws(model: model, count: n, seed: 11).covariateModels(like: model)
    let values = drawn.map(\.parameterValues)
    #expect(values.allSatisfy { $0[0..<4].allSatisfy { $0 > 0 } })
    for (j, estimate) in [(4, -0.3), (5, 0.02), (6, 0.5)] {
      let mean = values.reduce(0) { $0 + $1[j] } / Double(n)
      #expect(abs(mean - estimate) <= 4 * (0.04 / Double(n)).squareRoot(), "\(names[j])")
    }
    #expect(values.contains { $0[5] < 0 } && values.contains { $0[5] > 0 })
    let logAlpha = values.map { Double.log($0[1]) }
    let gamma = values.map { $0[4] }
    let meanLogAlpha = logAlpha.reduce(0, +) / Double(n)
    let meanGamma = gamma.reduce(0, +) / Double(n)
    let sampleCovariance =
      zip(logAlpha, gamma).reduce(0) { $0 + ($1.0 - meanLogAlpha) * ($1.1 - meanGamma) }
      / Double(n - 1)
    let se = ((0.01 * 0.04 + 0.012 * 0.012) / Double(n)).squareRoot()
    #expect(abs(sampleCovariance - 0.012) <= 4 * se)
  }

  /// With `--same-coefficient channel` the three links share one coefficient: one free
  /// parameter, and every draw gives all three links the same value.
  @Test func aSharedCoefficientStaysSharedInEveryDraw() throws {
    let design = try Self.design(shared: true)
    var report = FitReport(
      logLikelihood: -1, standardErrors: nil, iterations: 1, functionEvaluations: 1,
      gradientNorm: 0, converged: true, seconds: 0, customers: 1000, distinctRows: 1000)
    report.logParameterCovariance = (0..<5).map { i in
      (0..<5).map { j in i == j ? 0.02 : 0.0 }
    }
    let model = StaticCovariateModel(
      base: BGNBD(r: 0.24, alpha: 4.4, a: 0.79, b: 2.4), design: design,
      coefficients: [[0.2], [0.2], [0.2]], fitReport: report)
    #expect(model.parameterNames.count == 5)
    let drawn = try ParameterDraws(model: model, count: 50, seed: 2).covariateModels(like: model)
    var values = Set<Double>()
    for case let draw as StaticCovariateModel<BGNBD> in drawn {
      #expect(draw.coefficients[0] == draw.coefficients[1])
      #expect(draw.coefficients[1] == draw.coefficients[2])
      values.insert(draw.coefficients[0][0])
    }
    #expect(values.count == 50)
  }

  /// On a fitted covariate model, every interval is ordered, and at level 0.9 it contains the
  /// customer's prediction at the estimate (each customer at θ(z), as `clv score` computes
  /// it): the draws are centered on the estimate, so each prediction's median over the draws
  /// is close to its value there.
  @Test func intervalsOfAFittedModelAreOrderedAroundThePoint() throws {
    let (rows, vectors, _) = try Self.simulated(1500, seed: 8)
    let model = try StaticCovariateModel<BGNBD>.fit(
      rows, covariates: vectors, design: try Self.design())
    let request = try PredictionIntervals.Request.asymptotic(
      level: 0.9, count: 60, seed: 1, covariateModel: model, spend: nil)
    let intervals = try PredictionIntervals(
      rows: rows, request: request, covariates: vectors, horizon: 26)
    let points = try CovariateScoring.scores(
      rows, covariates: CustomerCovariates(model: model, vectors: vectors), spend: nil,
      horizon: 26, discountRate: 0, margin: 1, modelUnit: .time(.week))
    var outside = 0
    for i in rows.indices {
      for (point, bounds) in [
        (points.probabilityAlive[i], intervals.probabilityAlive),
        (points.expectedPurchases[i], intervals.expectedPurchases),
        (points.probabilityOfNoPurchase[i], intervals.probabilityOfNoPurchase),
      ] {
        #expect(bounds.low[i] <= bounds.high[i])
        let slack = 1e-9 * max(1, abs(point))
        if !(bounds.low[i] - slack <= point && point <= bounds.high[i] + slack) { outside += 1 }
      }
    }
    #expect(outside == 0, "\(outside) predictions outside their interval")
    // Customers with the same history and another channel get other intervals.
    let twins = rows.indices.filter { rows[$0].frequency == 0 && abs(rows[$0].age - 30) < 1 }
    if let web = twins.first(where: { vectors[$0] == [1] }),
      let store = twins.first(where: { vectors[$0] == [0] })
    {
      #expect(intervals.expectedPurchases.high[web] != intervals.expectedPurchases.high[store])
    }
  }

  /// `--bootstrap` refits the covariate model (parameters and coefficients) on each resample:
  /// the replicates differ, and the intervals are ordered.
  @Test func theBootstrapRefitsTheCovariateModel() throws {
    let (rows, vectors, _) = try Self.simulated(800, seed: 12)
    let model = try StaticCovariateModel<BGNBD>.fit(
      rows, covariates: vectors, design: try Self.design())
    let summary = RFMSummary(rows: rows, unit: .week)
    let request = try PredictionIntervals.Request.bootstrap(
      level: 0.8, replicates: 3, seed: 4, summary: summary,
      covariates: CustomerCovariates(model: model, vectors: vectors), spend: nil)
    let refits = try #require(request.covariateModels)
    #expect(refits.count == 3)
    #expect(refits[0].parameterValues != refits[1].parameterValues)
    #expect(refits[0].parameterNames == model.parameterNames)
    let intervals = try PredictionIntervals(
      rows: rows, request: request, covariates: vectors, horizon: 26)
    #expect(intervals.draws == 3)
    for i in rows.indices {
      #expect(intervals.expectedPurchases.low[i] <= intervals.expectedPurchases.high[i])
    }
  }
}
