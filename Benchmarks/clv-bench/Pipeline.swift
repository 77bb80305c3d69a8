import CLVData
import CLVModels
import CLVScoring
import Dispatch
import Foundation

/// The measured pipeline of one order log: summarize → BG/NBD → Gamma-Gamma → score with CLV →
/// segments and lifecycle stages, the same library calls `clv summarize`, `clv train` and
/// `clv score` make (without formatting the output files).
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

    // Score in one chunk per core, each with its own scorer (its cache is per chunk).
    t = now()
    let rows = summary.rows
    let chunks = ProcessInfo.processInfo.activeProcessorCount
    let chunkSize = (rows.count + chunks - 1) / chunks
    nonisolated(unsafe) let alive = UnsafeMutableBufferPointer<Double>.allocate(
      capacity: rows.count)
    nonisolated(unsafe) let expected = UnsafeMutableBufferPointer<Double>.allocate(
      capacity: rows.count)
    nonisolated(unsafe) let value = UnsafeMutableBufferPointer<Double>.allocate(
      capacity: rows.count)
    defer {
      alive.deallocate()
      expected.deallocate()
      value.deallocate()
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      var scorer = Scorer(transactions: bgnbd, spend: spend, horizon: 52, discountRate: 0.01)
      let range = min(rows.count, chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize)
      for i in range {
        let score = scorer.score(rows[i])
        alive[i] = score.probabilityAlive
        expected[i] = score.expectedPurchases
        value[i] = score.customerValue ?? 0
      }
    }
    let scoreSeconds = now() - t
    // Issue 8's pipeline: summarize, BG/NBD, Gamma-Gamma, scoring with CLV.
    let pipelineSeconds = now() - start
    let pipelinePeakMB = peakMemoryMB()
    guard value.allSatisfy(\.isFinite) else { throw BenchError.usage("non-finite CLV") }

    // Segments and lifecycle stages as of the last day, as `clv score` adds them.
    t = now()
    let asOf = summaries.observationEnd ?? Day(daysSinceEpoch: 0)
    let facts = (0..<rows.count).map { i in
      CustomerFacts(
        record: summaries.record(at: i)!, probabilityAlive: alive[i],
        expectedPurchases: expected[i], clv: value[i])
    }
    let rules = try SegmentationRules(asOf: asOf)
    let labels = try rules.labels(
      of: facts, valueThreshold: rules.resolvedValueThreshold(for: facts))
    let segmentSeconds = now() - t
    guard labels.count == rows.count else { throw BenchError.usage("labels missing") }

    return Figures(
      customers: rows.count, orders: summaries.report.rows,
      megabytes: Double(bytes) / 1e6, summarizeSeconds: summarizeSeconds,
      bgnbdSeconds: bgnbdSeconds, bgnbdIterations: bgnbd.fitReport?.iterations ?? 0,
      gammaGammaSeconds: gammaGammaSeconds,
      gammaGammaIterations: spend.fitReport?.iterations ?? 0,
      scoreSeconds: scoreSeconds, segmentSeconds: segmentSeconds, pipelineSeconds: pipelineSeconds,
      peakMemoryMB: pipelinePeakMB, peakMemoryWithSegmentsMB: peakMemoryMB())
  }
}
