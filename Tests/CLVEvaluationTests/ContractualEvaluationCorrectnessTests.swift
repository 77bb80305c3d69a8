import CLVData
import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

/// `clv evaluate` on subscriber data: the observed survival (Kaplan–Meier) and the projection
/// of a model fitted on the calibration periods, checked on [FH2007]'s Regular cohort and on
/// hand-made staggered subscribers.
@Suite struct ContractualEvaluationCorrectnessTests {
  static let regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]

  static func cohort() throws -> SubscriberData {
    var text = "period,alive\n"
    for (period, alive) in regular.enumerated() { text += "\(period),\(alive)\n" }
    return try SubscriberData.parse(Array(text.utf8), file: "regular.csv")
  }

  @Test func kaplanMeierOfOneCohortIsTheSurvivingShare() throws {
    let survival = try Self.cohort().durations().kaplanMeier(through: 12)
    for (t, alive) in Self.regular.enumerated() {
      assertClose(
        try #require(survival[t]), Double(alive) / 1000, absolute: 1e-15,
        source: "FH2007 Table 1: n(t)/n(0)")
    }
  }

  @Test func kaplanMeierWithStaggeredStartsByHand() throws {
    // As of period 4: a (T = 1), b (T = 3), c active after 2 renewals, d active after 4.
    let text = "customer_id,start_period,end_period\na,0,1\nb,0,3\nc,2,\nd,0,\n"
    let durations = try SubscriberData.parse(Array(text.utf8), file: "s.csv").durations(asOf: 4)
    let survival = durations.kaplanMeier(through: 5)
    // k = 1: 4 at risk, 1 cancels → 3/4; k = 2: 3 at risk, 0 → 3/4; k = 3: c censored at 2,
    // so 2 at risk, b cancels → 3/8; k = 4: d at risk, 0 → 3/8; k = 5: nobody at risk.
    let expected: [Double?] = [1, 0.75, 0.75, 0.375, 0.375, nil]
    #expect(survival == expected)
  }

  @Test func evaluationProjectsTheHoldoutTenures() throws {
    let plan = ContractualEvaluation.Plan(
      input: "regular.csv", sha256: String(repeating: "0", count: 64), models: ["sbg", "bdw"],
      calibrationEnd: 7, toolVersion: "test")
    let run = try ContractualEvaluation.run(plan, data: Self.cohort())
    #expect(run.data.calibrationEnd == "period 7" && run.data.observationEnd == "period 12")
    #expect(run.data.unit == .opportunity && run.data.customers == 1000)
    let sbg = try #require(run.models.first)
    let retention = try #require(sbg.retention)
    #expect(retention.calibrationTenure == 7)
    #expect(retention.actualSurvival.count == 13 && retention.predictedSurvival.count == 13)
    let model = SBG(gamma: sbg.parameters["gamma"]!, delta: sbg.parameters["delta"]!)
    var error = 0.0
    for t in 8...12 {
      error += abs(model.survival(t) - Double(Self.regular[t]) / 1000)
      assertClose(
        retention.predictedSurvival[t], model.survival(t), relative: 1e-15, source: "S(t)")
    }
    assertClose(
      try #require(retention.projectionMAE), error / 5, relative: 1e-12,
      source: "mean |S(t) − n(t)/n(0)| over t = 8…12")
    // [FH2007]: the sBG projects years 8–12 within about 0.005 of the actual survival.
    #expect(try #require(retention.projectionMAE) < 0.01)
    #expect(run.models[1].retention != nil, "the BdW is evaluated too")
    // The run file reads back (its checks accept 'period N' ends for unit 'period').
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "contractual-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("run.json").path
    try run.encoded().write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try RunFile.read(path: path) == run)
  }

  @Test func aCalibrationEndWithoutHoldoutIsAnError() throws {
    let plan = ContractualEvaluation.Plan(
      input: "regular.csv", sha256: String(repeating: "0", count: 64), models: ["sbg"],
      calibrationEnd: 12, toolVersion: "test")
    #expect(throws: DataError.self) { try ContractualEvaluation.run(plan, data: Self.cohort()) }
  }
}
