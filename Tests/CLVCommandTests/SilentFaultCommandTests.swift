import Foundation
import TestSupport
import Testing

/// The "silently wrong" reproducers of issue 20: inputs that used to be accepted and give
/// wrong results now stop with exit 65 and one line naming the file, the field and the value,
/// with the existing output unchanged and no temporary file left; and the files `clv score`
/// writes (ids with quoted line breaks) are read back by `clv target` and `--customers`.
@Suite struct SilentFaultCommandTests {
  /// Orders, models and scores built once.
  static let inputs: Result<URL, Error> = Result {
    try Fixtures.folder(running: [
      ["simulate", "--customers", "200", "--seed", "5", "-o", "orders.csv"],
      ["train", "orders.csv", "--model", "bgnbd", "-o", "model.json"],
      ["score", "orders.csv", "--model", "model.json", "-o", "scores.csv"],
      [
        "evaluate", "orders.csv", "--models", "bgnbd", "--calibration-end", "2025-06-30", "-o",
        "run.json",
      ],
    ])
  }

  private func workspace() throws -> URL {
    let dir = try Fixtures.copies(
      of: ["orders.csv", "model.json", "scores.csv", "run.json"], from: try Self.inputs.get())
    try Data("old\n".utf8).write(to: dir.appendingPathComponent("out"))
    return dir
  }

  private func text(_ name: String, in dir: URL) throws -> String {
    try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
  }

  private func write(_ text: String, _ name: String, in dir: URL) throws {
    try Data(text.utf8).write(to: dir.appendingPathComponent(name))
  }

  /// Exit 65, one `clv: error:` line holding every string of `mentions`, `out` unchanged, no
  /// temporary file.
  private func expectBadData(
    _ arguments: [String], in dir: URL, mentions: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let run = try Fixtures.runCLV(arguments, in: dir, timeout: 120)
    let label = arguments.joined(separator: " ")
    #expect(run.status == 65, "\(label): \(run.standardError)", sourceLocation: sourceLocation)
    let errors = run.standardError.split(separator: "\n").filter { $0.hasPrefix("clv: error:") }
    #expect(errors.count == 1, "\(label): \(run.standardError)", sourceLocation: sourceLocation)
    for mention in mentions {
      #expect(
        errors.first?.contains(mention) == true, "\(label): no '\(mention)' in \(errors)",
        sourceLocation: sourceLocation)
    }
    let out = FileManager.default.contents(atPath: dir.appendingPathComponent("out").path)
    #expect(out == Data("old\n".utf8), "\(label): output changed", sourceLocation: sourceLocation)
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
      $0.contains(".tmp-")
    }
    #expect(left == [], "\(label)", sourceLocation: sourceLocation)
  }

  // MARK: Model files

  @Test(arguments: [
    (#""r": [0-9.e+-]+"#, #""r": -1"#, "parameters.r"),
    (#""r": [0-9.e+-]+"#, #""r": 5e-324"#, "parameters.r"),
    (#""unit": "week""#, #""unit": "fortnight""#, "unit"),
    (#""unit": "week""#, #""unit": null"#, "unit"),
    (#""observationEnd": "[0-9-]+""#, #""observationEnd": "1997-02-30""#, "data.observationEnd"),
  ])
  func modelFilesOutOfTheirDomainAreRejected(
    _ pattern: String, _ replacement: String, _ field: String
  ) throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    var model = try text("model.json", in: dir)
    let range = try #require(model.range(of: pattern, options: .regularExpression))
    model.replaceSubrange(range, with: replacement)
    try write(model, "bad.json", in: dir)
    try expectBadData(
      ["score", "orders.csv", "--model", "bad.json", "-o", "out"], in: dir,
      mentions: ["bad.json", field])
  }

  // MARK: Scores files

  /// Edits one data row of scores.csv: `column` set to `value`.
  private func scores(in dir: URL, column: String, value: String) throws -> String {
    var lines = try text("scores.csv", in: dir).split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",").map(String.init)
    let index = try #require(header.firstIndex(of: column))
    // The first customer with a purchase (a simulated id has no comma or quote).
    let row = try #require(
      lines.indices.dropFirst().first {
        lines[$0].contains(",active,") || lines[$0].contains(",new,")
      })
    var fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    fields[index] = value
    lines[row] = fields.joined(separator: ",")
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(arguments: [
    ("clv", "-3.5", "'clv'"),
    ("first_purchase", "garbage", "'first_purchase'"),
    ("last_purchase", "2099-01-01", "'last_purchase'"),
    ("expected_purchases", "27\u{0}banana", "NUL"),
  ])
  func scoresFilesOutOfTheirDomainAreRejected(
    _ column: String, _ value: String, _ mention: String
  ) throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    try write(try scores(in: dir, column: column, value: value), "bad.csv", in: dir)
    try expectBadData(
      ["target", "bad.csv", "--campaign", "win-back", "--orders", "orders.csv", "-o", "out"],
      in: dir,
      mentions: ["bad.csv", mention])
  }

  @Test func scoresFileWithADuplicatedColumnIsRejected() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = try text("scores.csv", in: dir).split(separator: "\n").map { $0 + ",x" }
    var header = lines[0]
    header = header.dropLast(2) + ",clv"
    try write(([header] + lines.dropFirst()).joined(separator: "\n") + "\n", "bad.csv", in: dir)
    try expectBadData(
      ["target", "bad.csv", "--campaign", "win-back", "--orders", "orders.csv", "-o", "out"],
      in: dir,
      mentions: ["bad.csv:1", "'clv' appears twice"])
  }

  // MARK: Run files

  @Test(arguments: [
    (#""model" : "bgnbd""#, #""model" : "foo""#, "'foo'"),
    (#""unit" : "week""#, #""unit" : "fortnight""#, "'fortnight'"),
    (#""calibrationEnd" : "2025-06-30""#, #""calibrationEnd" : "1997-02-30""#, "1997-02-30"),
    (#""calibrationEnd" : "2025-06-30""#, #""calibrationEnd" : "2099-06-30""#, "2099-06-30"),
  ])
  func runFilesOutOfTheirDomainAreRejected(
    _ pattern: String, _ replacement: String, _ mention: String
  ) throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    var run = try text("run.json", in: dir)
    let range = try #require(run.range(of: pattern, options: .regularExpression))
    run.replaceSubrange(range, with: replacement)
    try write(run, "bad.json", in: dir)
    try expectBadData(
      ["report", "bad.json", "-o", "out"], in: dir, mentions: ["bad.json", mention])
  }

  // MARK: Ids

  /// `a\xff` and `a\xfe` used to become one `a\u{FFFD}`: now a located error showing the byte.
  @Test func invalidUTF8IdsStopWithALocatedError() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    var bytes = Array("customer_id,date,amount\nok,2024-01-02,5\n".utf8)
    bytes += Array("a".utf8) + [0xFF] + Array(",2024-01-03,5\n".utf8)
    bytes += Array("a".utf8) + [0xFE] + Array(",2024-01-04,5\n".utf8)
    try Data(bytes).write(to: dir.appendingPathComponent("bad.csv"))
    try expectBadData(
      ["summarize", "bad.csv", "-o", "out"], in: dir, mentions: ["bad.csv:3", "a\\xFF", "UTF-8"])
  }

  /// An id holding a comma, a quote and a line break: `score` quotes it, and `target` and
  /// `score --customers` read it back as the same id.
  @Test func idsWithQuotedLineBreaksRoundTrip() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let id = "multi\nline, \"id\""
    let quoted = "\"multi\nline, \"\"id\"\"\""
    var orders = try text("orders.csv", in: dir)
    orders += "\(quoted),2024-03-01,10\n\(quoted),2024-05-01,12\n"
    try write(orders, "orders2.csv", in: dir)
    try write("customer_id\n\(quoted)\n\"new\nprospect\"\n", "customers.csv", in: dir)
    let scored = try Fixtures.runCLV(
      [
        "score", "orders2.csv", "--model", "model.json", "--customers", "customers.csv", "-o",
        "scores2.csv",
      ], in: dir)
    #expect(scored.status == 0, "\(scored.standardError)")
    let written = try text("scores2.csv", in: dir)
    #expect(written.contains(quoted + ","))
    #expect(written.contains("\"new\nprospect\","))
    let target = try Fixtures.runCLV(
      [
        "target", "scores2.csv", "--campaign", "win-back", "--orders", "orders2.csv", "-o",
        "list.csv",
      ], in: dir)
    #expect(target.status == 0, "\(target.standardError)")
    _ = id
  }

  // MARK: Formula-like ids and the spend model's errors

  /// Ids that a spreadsheet would run as formulas: `score` and `target` warn once per file;
  /// `target --neutralize-formulas` writes them with a `'` in front.
  @Test func formulaLikeIdsAreWarnedAboutAndNeutralized() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    var orders = try text("orders.csv", in: dir)
    orders += "=HYPERLINK(1),2024-03-01,10\n=HYPERLINK(1),2024-05-01,12\n@x,2024-03-01,10\n"
    try write(orders, "orders2.csv", in: dir)
    let scored = try Fixtures.runCLV(
      ["score", "orders2.csv", "--model", "model.json", "-o", "scores2.csv"], in: dir)
    #expect(scored.status == 0, "\(scored.standardError)")
    let warnings = scored.standardError.split(separator: "\n").filter {
      $0.hasPrefix("clv: warning:") && $0.contains("formulas")
    }
    #expect(
      warnings.count == 1 && warnings[0].contains("scores2.csv: 2 customer id(s)"), "\(warnings)")
    let plain = try Fixtures.runCLV(
      [
        "target", "scores2.csv", "--campaign", "win-back", "--orders", "orders2.csv", "--budget",
        "1000", "-o", "l.csv",
      ], in: dir)
    #expect(plain.status == 0)
    #expect(plain.standardError.contains("--neutralize-formulas"), "\(plain.standardError)")
    let neutral = try Fixtures.runCLV(
      [
        "target", "scores2.csv", "--campaign", "win-back", "--orders", "orders2.csv", "--budget",
        "1000", "--neutralize-formulas", "-o", "n.csv",
      ], in: dir)
    #expect(neutral.status == 0, "\(neutral.standardError)")
    #expect(!neutral.standardError.contains("formulas"))
    // The id is on the list (gone for 18 months): as it is without the flag, quoted with it.
    #expect(try text("l.csv", in: dir).contains(",=HYPERLINK(1),"))
    let list = try text("n.csv", in: dir)
    #expect(list.contains(",'=HYPERLINK(1),"))
    for line in list.split(separator: "\n").dropFirst() {
      let id = line.split(separator: ",")[1]
      #expect(id.first.map { "=+-@".contains($0) } != true, "\(line)")
    }
  }

  /// A spend model whose mean does not exist (q < 1): the error names Gamma-Gamma, not the
  /// purchase model.
  @Test func aNonFiniteSpendNamesTheSpendModel() throws {
    let dir = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    try write(
      """
      { "schema": "clvkit-model/1", "model": "gamma-gamma",
        "parameters": {"p": 5.0, "q": 0.5, "gamma": 15.0}, "unit": "week",
        "createdAt": "2026-11-22T20:00:00Z", "tool": {"name": "clv", "version": "0.1.0"} }
      """, "gg.json", in: dir)
    let run = try Fixtures.runCLV(
      ["score", "orders.csv", "--model", "model.json", "--spend-model", "gg.json", "-o", "out"],
      in: dir)
    #expect(run.status == 70, "\(run.standardError)")
    #expect(
      run.standardError.contains("clv: error: Gamma-Gamma: expected_spend"), "\(run.standardError)")
  }
}
