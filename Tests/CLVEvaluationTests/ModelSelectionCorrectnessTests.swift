import CLVData
import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

/// `clv train --model auto` (`ModelSelection.swift`): the split rule on hand-made periods, the
/// ranking on hand-made candidates, and the whole selection on orders simulated from a known
/// model.
@Suite struct ModelSelectionCorrectnessTests {
  static let first = Day(year: 2024, month: 1, day: 1)!

  @Test func holdoutIsTheLastThirdAndAtLeastEightWeeks() throws {
    // 300 days: a third is 100 days.
    let long = try ModelSelection.split(firstDate: Self.first, end: Self.first + 300)
    #expect(long.holdoutDays == 100 && long.calibrationEnd == Self.first + 200)
    #expect(long.observationEnd == Self.first + 300)
    // 301 days: the third is rounded up (101), so the calibration period is never the longer
    // share by rounding.
    #expect(
      try ModelSelection.split(firstDate: Self.first, end: Self.first + 301).holdoutDays == 101)
    // 120 days: a third (40) is under 8 weeks, so the holdout is 56 days.
    let short = try ModelSelection.split(firstDate: Self.first, end: Self.first + 120)
    #expect(short.holdoutDays == 56 && short.calibrationEnd == Self.first + 64)
    // 112 days is the shortest period: 56 + 56. One day less is an error that says why.
    #expect(
      try ModelSelection.split(firstDate: Self.first, end: Self.first + 112).holdoutDays == 56)
    do {
      _ = try ModelSelection.split(firstDate: Self.first, end: Self.first + 111)
      Issue.record("a 111-day period was split")
    } catch let error as EvaluationError {
      #expect(error.exitCode == 65)
      #expect(String(describing: error).contains("at least 112 days"))
    }
  }

  @Test func candidatesAreThePurchaseModelsInCalendarTime() {
    let keys = ModelSelection.candidateKeys
    for key in keys {
      let descriptor = ModelRegistry.descriptor(for: key)
      #expect(descriptor?.kind == .purchase && descriptor?.fitsSummaries == true)
      #expect(descriptor?.timeScale == .calendar)
    }
    // Every purchase model fitted on summaries in calendar time is a candidate, but those that
    // need inter-purchase times ((M)BG/CNBD-k: twelve fits each).
    let expected = ModelRegistry.all.filter {
      $0.kind == .purchase && $0.timeScale == .calendar && $0.fitsSummaries
        && !$0.needs.contains(.interPurchaseTimes)
    }.map(\.id)
    #expect(keys == expected)
    #expect(keys.count >= 2)
  }

  @Test func rankingIsBySmallestRMSEWithTiesInOrderAndFailuresLeftOut() {
    typealias C = ModelFile.Selection.Candidate
    let candidates = [
      C(model: "a", rmse: 1.2, mae: 0.5), C(model: "b", error: "did not converge"),
      C(model: "c", rmse: 1.1, mae: 0.9), C(model: "d", rmse: 1.2, mae: 0.1),
    ]
    // The MAE does not decide: d has the smallest MAE but ties a on RMSE and comes later.
    #expect(ModelSelection.ranked(candidates).map(\.model) == ["c", "a", "d"])
    #expect(ModelSelection.ranked([C(model: "x", error: "failed")]).isEmpty)
  }

  /// Orders of `customers` BG/NBD customers (strong dropout: a/(a+b) = 0.4 per purchase) over
  /// two years, written as an order log.
  static func simulatedOrders(customers: Int = 1500, seed: UInt64 = 7) throws -> (URL, Day) {
    let settings = Simulation.Settings(
      customers: customers, seed: seed, process: BGNBD(r: 0.8, alpha: 6, a: 2, b: 3),
      start: first, acquisitionDays: 120, days: 600)
    var text = "customer_id,date\n"
    Simulation.orders(settings) { customer, day, _ in text += "c\(customer),\(day)\n" }
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("orders.csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return (url, settings.observationEnd)
  }

  @Test func selectionOnSimulatedDataPicksTheSmallestErrorAndRefits() throws {
    let (url, end) = try Self.simulatedOrders()
    let format = OrderLogFormat(amountColumn: nil)
    let all = try CustomerSummaries.read(
      orders: url.path, format: format, period: SummaryPeriod(unit: .week, observationEnd: end))
    let firstDate = try #require(all.report.firstDate)
    // Pareto/NBD is left out to keep the test fast in debug builds (its likelihood's ₂F₁ is
    // slow there); TrainAutoCommandTests runs every candidate.
    let keys = [BGNBD.modelID, MBGNBD.modelID, NBD.modelID]
    let outcome = try ModelSelection.select(
      path: url.path, format: format, unit: .week, firstDate: firstDate, end: end,
      all: all.summary, candidates: keys, options: EvaluationOptions())
    let selection = outcome.selection
    let split = try ModelSelection.split(firstDate: firstDate, end: end)
    #expect(selection.calibrationEnd == split.calibrationEnd.description)
    #expect(selection.holdoutDays == split.holdoutDays)
    #expect(selection.candidates.map(\.model) == keys)
    // Every candidate fits these data; the chosen one's holdout error is the smallest.
    let chosen = try #require(selection.candidates.first { $0.model == selection.chosen })
    let chosenRMSE = try #require(chosen.rmse)
    for candidate in selection.candidates {
      let rmse = try #require(candidate.rmse, "\(candidate.model): \(candidate.error ?? "")")
      #expect(chosenRMSE <= rmse, "\(selection.chosen) \(chosenRMSE) vs \(candidate.model) \(rmse)")
    }
    // Consistent with the generator: customers drop out, so the model without dropout (NBD)
    // predicts too many holdout purchases and is not chosen.
    #expect(selection.chosen != NBD.modelID)
    let nbd = try #require(selection.candidates.first { $0.model == NBD.modelID })
    #expect(try #require(nbd.predicted) > nbd.actual!)
    // The refit: the chosen model fitted on the whole period, not the calibration fit.
    #expect(outcome.descriptor.id == selection.chosen)
    let refit = try outcome.descriptor.fit(all.summary)
    for (a, b) in zip(outcome.model.parameterValues, refit.parameterValues) {
      assertClose(a, b, relative: 1e-6, source: "the same fit on the same summaries")
    }
    #expect(outcome.model.fitReport?.customers == all.summary.rows.count)
    // The comparison used the customers acquired by the calibration end only.
    #expect(
      selection.customers == all.summary.rows.count
        - all.summary.rows.count { row in
          Int((row.age * 7).rounded()) < end - split.calibrationEnd
        })
    // The record survives the model file.
    var file = ModelFile(
      model: outcome.model, unit: .time(.week), data: nil, toolVersion: "test")
    file.selection = selection
    let decoded = try ModelFile.decode(Data(try file.jsonText().utf8), path: "m.json")
    #expect(decoded.selection == selection)
  }

  @Test func aFailingCandidateKeepsTheOthers() throws {
    let (url, end) = try Self.simulatedOrders(customers: 400, seed: 3)
    let split = try ModelSelection.split(firstDate: Self.first, end: end)
    let summaries = try CustomerSummaries.read(
      orders: url.path, format: OrderLogFormat(amountColumn: nil),
      period: SummaryPeriod(
        unit: .week, observationEnd: end, calibrationEnd: split.calibrationEnd))
    let sample = try #require(EvaluationSample(summaries))
    // gamma-gamma fails without amounts; "none" is not a model.
    let candidates = try ModelSelection.compare(
      [BGNBD.modelID, GammaGamma.modelID, "none", NBD.modelID], on: sample)
    #expect(candidates.map(\.model) == [BGNBD.modelID, GammaGamma.modelID, "none", NBD.modelID])
    #expect(candidates[1].error != nil && candidates[1].rmse == nil)
    #expect(candidates[2].error != nil)
    #expect(candidates[0].rmse != nil && candidates[3].rmse != nil)
    #expect(Set(ModelSelection.ranked(candidates).map(\.model)) == [BGNBD.modelID, NBD.modelID])
    // Every candidate failing is an error, not an empty choice.
    #expect(throws: (any Error).self) { try ModelSelection.compare(["none"], on: sample) }
  }
}
