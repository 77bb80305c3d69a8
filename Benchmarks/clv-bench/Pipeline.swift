import CLVData
import CLVModels
import CLVScoring
import Foundation

/// The measured pipeline of one order log: summarize → BG/NBD → Gamma-Gamma → score with CLV →
/// segments and lifecycle stages, the same library calls `clv summarize`, `clv train` and
/// `clv score` make (without formatting the output files); then, apart, the BG/CNBD-k fit with
/// its search of k.
enum Pipeline {
  static func measure(ordersPath: String) throws -> Figures {
    let bytes = (try FileManager.default.attributesOfItem(atPath: ordersPath)[.size] as? Int) ?? 0
    let start = now()

    var t = now()
    let summaries = try CustomerSummaries.read(
      orders: ordersPath, format: OrderLogFormat(dateFormat: .isoDate),
      period: SummaryPeriod(unit: .week))
    let summarizeSeconds = now() - t
    let summary = summaries.summary

    t = now()
    let bgnbd = try BGNBD.fit(summary)
    let bgnbdSeconds = now() - t

    t = now()
    let spend = try GammaGamma.fit(summary)
    let gammaGammaSeconds = now() - t

    // Score as `clv score` does: the library's batch scoring (parallel chunks, each value
    // checked finite).
    t = now()
    let rows = summary.rows
    let scores = try BatchScoring.scores(
      rows, scorer: Scorer(transactions: bgnbd, spend: spend, horizon: 52, discountRate: 0.01),
      modelUnit: .time(summaries.unit))
    let scoreSeconds = now() - t
    // Issue 8's pipeline: summarize, BG/NBD, Gamma-Gamma, scoring with CLV.
    let pipelineSeconds = now() - start
    let pipelinePeakMB = peakMemoryMB()

    // Segments and lifecycle stages as of the last day, as `clv score` adds them.
    t = now()
    let asOf = summaries.observationEnd ?? Day(daysSinceEpoch: 0)
    let segments = try ScoreSegments(
      summaries: summaries, scores: scores, rules: SegmentationRules(asOf: asOf),
      models: ModelIDs(transaction: "bgnbd", spend: "gamma-gamma"))
    let segmentSeconds = now() - t
    guard segments.rowCount == rows.count else { throw BenchError.usage("labels missing") }
    let peakWithSegments = peakMemoryMB()

    // BG/CNBD-k, as `clv train --model bgcnbd-k` fits it: the summary with each customer's
    // log inter-purchase times, then the search of k over 1 … 12 (twelve fits). Not part of the
    // pipeline above (its figures stay comparable with earlier runs).
    t = now()
    let withLitt = try CustomerSummaries.read(
      orders: ordersPath, format: OrderLogFormat(dateFormat: .isoDate),
      period: SummaryPeriod(unit: .week, interPurchaseTimes: true))
    let cnbdSummarizeSeconds = now() - t
    t = now()
    let cnbd = try BGCNBDk.fit(withLitt.summary)
    let cnbdSeconds = now() - t

    return Figures(
      customers: rows.count, orders: summaries.report.rows,
      megabytes: Double(bytes) / 1e6, summarizeSeconds: summarizeSeconds,
      bgnbdSeconds: bgnbdSeconds, bgnbdIterations: bgnbd.fitReport?.iterations ?? 0,
      gammaGammaSeconds: gammaGammaSeconds,
      gammaGammaIterations: spend.fitReport?.iterations ?? 0,
      scoreSeconds: scoreSeconds, segmentSeconds: segmentSeconds, pipelineSeconds: pipelineSeconds,
      peakMemoryMB: pipelinePeakMB, peakMemoryWithSegmentsMB: peakWithSegments,
      cnbdSummarizeSeconds: cnbdSummarizeSeconds, cnbdSeconds: cnbdSeconds, cnbdK: cnbd.k)
  }
}
