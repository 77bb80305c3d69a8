import CLVData
import CLVModels
import Dispatch
import Foundation

/// The measured pipeline of one order log: summarize → BG/NBD → Gamma-Gamma → score with CLV,
/// the same library calls `clv summarize`, `clv train` and `clv score` make.
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
    nonisolated(unsafe) let totals = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks)
    defer { totals.deallocate() }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      var scorer = Scorer(transactions: bgnbd, spend: spend, horizon: 52, discountRate: 0.01)
      var total = 0.0
      for row in rows[min(rows.count, chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize)] {
        let score = scorer.score(row)
        total += score.customerValue ?? 0
      }
      totals[chunk] = total
    }
    let scoreSeconds = now() - t
    guard totals.reduce(0, +).isFinite else { throw BenchError.usage("non-finite CLV total") }

    return Figures(
      customers: rows.count, orders: summaries.report.rows,
      megabytes: Double(bytes) / 1e6, summarizeSeconds: summarizeSeconds,
      bgnbdSeconds: bgnbdSeconds, bgnbdIterations: bgnbd.fitReport?.iterations ?? 0,
      gammaGammaSeconds: gammaGammaSeconds,
      gammaGammaIterations: spend.fitReport?.iterations ?? 0,
      scoreSeconds: scoreSeconds, pipelineSeconds: now() - start, peakMemoryMB: peakMemoryMB())
  }
}
