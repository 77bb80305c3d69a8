import Foundation
import TestSupport
import Testing

/// The export-shape battery (issue 11, "Done when"): each order-log shape of ``ExportShapes``
/// goes through `summarize → train (bgnbd, pnbd, gamma-gamma) → score → target` with its
/// documented options (notebooks-md/guides/input-formats.md), and the summaries are checked
/// against the values computed from the generator's ground truth.
///
/// Tolerances: frequency and the ids exactly; recency and T are whole days / 7 on both sides
/// (absolute 1e-12); monetary value is a mean of sums of cents read from text, where the
/// reader's summation order may differ from the test's integer sums (relative 1e-9; 0 exactly).
struct ExportShapesConsistencyTests {
  /// The wall-clock bound of one Pareto/NBD fit (a debug build on a loaded 2-core machine).
  static let paretoNBDSeconds = 240.0

  @Test(arguments: ExportShapes.all)
  func pipelineReadsTheShapeAsItsGroundTruth(shape: ExportShape) throws {
    #expect(ExportShapes.all.count >= 15)
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let orders = folder.appendingPathComponent("\(shape.name).csv")
    try Data(shape.text.utf8).write(to: orders)

    // summarize: every customer, with the ground truth's summary.
    let summary = try Fixtures.runCLV(["summarize", orders.path] + shape.options)
    try #require(summary.status == 0, "\(shape): \(summary.standardError)")
    for note in shape.notes {
      #expect(
        summary.standardError.contains(note), "\(shape): '\(note)' in \(summary.standardError)")
    }
    let expected = shape.expected
    let rows = try Self.table(summary.standardOutput)
    #expect(rows.header == ["customer_id", "frequency", "recency", "T", "monetary_value"])
    Self.check(rows, against: expected, shape: shape)

    // train: the three models, or the documented error.
    func train(_ model: String) throws -> (Fixtures.RunResult, URL) {
      let file = folder.appendingPathComponent("\(model).json")
      let result = try Fixtures.runCLV(
        ["train", orders.path, "--model", model, "-o", file.path] + shape.options)
      return (result, file)
    }
    if case .cannotIdentify(let message) = shape.outcome {
      for model in ["bgnbd", "pnbd"] {
        let (result, file) = try train(model)
        #expect(result.status == 65, "\(shape) \(model): \(result.standardError)")
        #expect(result.standardError.contains(message), "\(shape) \(model)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
      }
      let (spend, _) = try train("gamma-gamma")
      #expect(spend.status == 65, "\(shape) gamma-gamma: \(spend.standardError)")
      #expect(spend.standardError.contains("repeat"), "\(spend.standardError)")
      return
    }
    var models: [String: URL] = [:]
    for model in ["bgnbd", "gamma-gamma"] {
      let (result, file) = try train(model)
      try #require(result.status == 0, "\(shape) \(model): \(result.standardError)")
      models[model] = file
    }
    // Pareto/NBD: a few seconds in a debug build. Its fit has a time budget (issue 20,
    // `--fit-time-limit`, here 180 s) ending in exit 70; the process is killed at 240 s only
    // as a backstop. Either is a failure: every shape must fit.
    let pnbdFile = folder.appendingPathComponent("pnbd.json")
    let pnbd = try Fixtures.runCLV(
      ["train", orders.path, "--model", "pnbd", "--fit-time-limit", "180", "-o", pnbdFile.path]
        + shape.options,
      timeout: Self.paretoNBDSeconds)
    #expect(!pnbd.timedOut, "\(shape): clv train --model pnbd ran past \(Self.paretoNBDSeconds) s")
    try #require(pnbd.status == 0, "\(shape) pnbd: \(pnbd.standardError)")
    models["pnbd"] = pnbdFile

    // score with each purchase model and the spend model; then both target lists.
    for model in ["bgnbd", "pnbd"] where models[model] != nil {
      let scoresFile = folder.appendingPathComponent("scores-\(model).csv")
      let score = try Fixtures.runCLV(
        [
          "score", orders.path, "--model", models[model]!.path, "--spend-model",
          models["gamma-gamma"]!.path, "-o", scoresFile.path,
        ] + shape.options)
      try #require(score.status == 0, "\(shape) score \(model): \(score.standardError)")
      let scores = try Self.table(String(contentsOf: scoresFile, encoding: .utf8))
      #expect(Array(scores.header.prefix(5)) == rows.header)
      Self.check(scores, against: expected, shape: shape)
      let pAlive = try #require(scores.header.firstIndex(of: "p_alive"))
      let clv = try #require(scores.header.firstIndex(of: "clv"))
      for row in scores.rows {
        let p = try #require(Double(row[pAlive]), "\(shape): p_alive '\(row[pAlive])'")
        #expect((0...1).contains(p), "\(shape) \(row[0]): p_alive \(p)")
        let value = try #require(Double(row[clv]), "\(shape): clv '\(row[clv])'")
        #expect(value.isFinite && value >= 0, "\(shape) \(row[0]): clv \(value)")
      }
      for campaign in ["win-back", "replenishment"] {
        // win-back estimates P(reactivation) from the order log the scores were made from.
        let orderLog = campaign == "win-back" ? ["--orders", orders.path] + shape.options : []
        let target = try Fixtures.runCLV(
          ["target", scoresFile.path, "--campaign", campaign] + orderLog)
        try #require(target.status == 0, "\(shape) target \(campaign): \(target.standardError)")
        let list = try Self.table(target.standardOutput)
        let id = try #require(list.header.firstIndex(of: "customer_id"))
        for row in list.rows {
          #expect(expected[row[id]] != nil, "\(shape) \(campaign): unknown id '\(row[id])'")
        }
      }
    }
  }

  /// Checks the first five columns of `table` (customer_id, frequency, recency, T,
  /// monetary_value) against `expected`: the same customers, each with its values.
  static func check(
    _ table: (header: [String], rows: [[String]]), against expected: [String: ExportShape.Expected],
    shape: ExportShape
  ) {
    #expect(table.rows.count == expected.count, "\(shape): \(table.rows.count) rows")
    var seen = Set<String>()
    for row in table.rows {
      let id = row[0]
      #expect(seen.insert(id).inserted, "\(shape): '\(id)' twice")
      guard let truth = expected[id] else {
        Issue.record("\(shape): customer '\(id)' is not in the ground truth")
        continue
      }
      #expect(Int(row[1]) == truth.frequency, "\(shape) \(id): frequency \(row[1]) vs \(truth)")
      guard let recency = Double(row[2]), let age = Double(row[3]), let money = Double(row[4])
      else {
        Issue.record("\(shape) \(id): not numbers: \(row)")
        continue
      }
      assertClose(recency, truth.recency, absolute: 1e-12, source: "\(shape) \(id) recency")
      assertClose(age, truth.age, absolute: 1e-12, source: "\(shape) \(id) T")
      assertClose(
        money, truth.monetaryValue, relative: 1e-9,
        source: "\(shape) \(id) monetary_value")
    }
  }

  /// A CSV text (RFC 4180 quoting, no line breaks inside fields) as header and rows.
  static func table(_ text: String) throws -> (header: [String], rows: [[String]]) {
    var lines = text.split(separator: "\n").map(String.init)
    let header = try #require(lines.first.map(fields))
    lines.removeFirst()
    return (header, lines.map(fields))
  }

  static func fields(_ line: String) -> [String] {
    var result: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(line).makeIterator()
    var pending: Character? = nil
    while let c = pending ?? iterator.next() {
      pending = nil
      if quoted {
        if c == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              field.append("\"")
            } else {
              quoted = false
              pending = next
            }
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        result.append(field)
        field = ""
      } else {
        field.append(c)
      }
    }
    result.append(field)
    return result
  }
}
