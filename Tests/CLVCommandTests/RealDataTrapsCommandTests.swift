import Foundation
import TestSupport
import Testing

/// The smaller traps seen on real data (issue 11 part 7), through the built `clv`.
struct RealDataTrapsCommandTests {
  /// The last order day of ``orders(in:delimiter:name:)``.
  static let lastDay = "2024-12-29"

  /// 200 customers from `clv simulate` (BG/NBD, CDNOW's parameters, seed 7, 2024, the last
  /// order on ``lastDay``), with `delimiter` between fields.
  static func orders(
    in folder: URL, delimiter: String = ",", name: String = "orders.csv"
  )
    throws -> URL
  {
    let url = folder.appendingPathComponent(name)
    let result = try Fixtures.runCLV([
      "simulate", "--customers", "200", "--days", "365", "--seed", "7", "-o", "-",
    ])
    try #require(result.status == 0, "\(result.standardError)")
    let text = result.standardOutput.replacingOccurrences(of: ",", with: delimiter)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  static func train(
    _ orders: URL, _ model: String, _ extra: [String] = [], in folder: URL
  ) throws
    -> URL
  {
    let output = folder.appendingPathComponent("\(model)-\(extra.joined()).json")
    let result = try Fixtures.runCLV(
      ["train", orders.path, "--model", model, "-o", output.path] + extra)
    try #require(result.status == 0, "\(result.standardError)")
    return output
  }

  /// The value of `column` per customer id in a CSV with a header.
  static func column(_ column: String, of csv: String) -> [String: String] {
    let lines = csv.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    guard let header = lines.first, let index = header.firstIndex(of: Substring(column)) else {
      return [:]
    }
    var values: [String: String] = [:]
    for line in lines.dropFirst() where line.count > index {
      values[String(line[0])] = String(line[index])
    }
    return values
  }

  @Test func churnLogitDefaultsTheObservationEndToTheLastDate() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder)
    let implicit = try Self.train(
      orders, "churn-logit", ["--calibration-end", "2024-06-30"], in: folder)
    let explicit = try Self.train(
      orders, "churn-logit",
      ["--calibration-end", "2024-06-30", "--observation-end", Self.lastDay],
      in: folder)
    let a = try JSONSerialization.jsonObject(with: Data(contentsOf: implicit)) as? [String: Any]
    let b = try JSONSerialization.jsonObject(with: Data(contentsOf: explicit)) as? [String: Any]
    let dataA = try #require(a?["data"] as? [String: Any])
    #expect(dataA["observationEnd"] as? String == Self.lastDay)
    #expect(
      (a?["parameters"] as? [String: Double]) == (b?["parameters"] as? [String: Double])
        && a?["parameters"] != nil)
    // Without --calibration-end it is still a usage error naming the option.
    let result = try Fixtures.runCLV(["train", orders.path, "--model", "churn-logit", "-o", "-"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("--calibration-end"))
  }

  @Test func scoreRejectsACalibrationEnd() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder)
    let model = try Self.train(orders, "bgnbd", in: folder)
    let result = try Fixtures.runCLV([
      "score", orders.path, "--model", model.path, "--calibration-end", "2024-06-30",
    ])
    #expect(result.status == 64)
    #expect(result.standardError.contains("--as-of"), "\(result.standardError)")
    #expect(result.standardOutput.isEmpty)
  }

  @Test func horizonTakesUnitsAndRefusesABareNumberAcrossUnits() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder)
    let monthly = try Self.train(orders, "bgnbd", ["--unit", "month"], in: folder)
    // Weekly data, monthly model: a bare number is ambiguous.
    let bare = try Fixtures.runCLV([
      "score", orders.path, "--model", monthly.path, "--horizon", "52",
    ])
    #expect(bare.status == 64)
    #expect(bare.standardError.contains("52w"), "\(bare.standardError)")
    #expect(bare.standardOutput.isEmpty)
    // 12m with weekly data equals a bare 12 with monthly data; 1y is the same length.
    func expected(_ arguments: [String]) throws -> [String: String] {
      let result = try Fixtures.runCLV(["score", orders.path, "--model", monthly.path] + arguments)
      try #require(result.status == 0, "\(result.standardError)")
      return Self.column("expected_purchases", of: result.standardOutput)
    }
    let suffixed = try expected(["--horizon", "12m"])
    let bareMonthly = try expected(["--horizon", "12", "--unit", "month"])
    let year = try expected(["--horizon", "1y"])
    #expect(suffixed.count == 200)
    for (id, value) in suffixed {
      let a = try #require(Double(value))
      assertClose(
        a, try #require(Double(bareMonthly[id] ?? "")), relative: 1e-12, source: "12m = 12")
      assertClose(a, try #require(Double(year[id] ?? "")), relative: 1e-12, source: "1y = 12m")
    }
    // The default is 52 weeks: on a weekly model, a bare 52 and 52w give the same file.
    let weekly = try Self.train(orders, "bgnbd", in: folder)
    let byDefault = try Fixtures.runCLV(["score", orders.path, "--model", weekly.path])
    let given = try Fixtures.runCLV([
      "score", orders.path, "--model", weekly.path, "--horizon", "52",
    ])
    #expect(byDefault.status == 0 && given.status == 0)
    #expect(byDefault.standardOutput == given.standardOutput)
  }

  @Test func fillSaysHowManyAndStopsWhenTheIdsDoNotMatch() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder)
    func attributes(_ id: (Int) -> String?) throws -> URL {
      var rows = ["customer_id,region"]
      for c in 1...200 { if let text = id(c) { rows.append("\(text),\(c % 2 == 0 ? "n" : "s")") } }
      let url = folder.appendingPathComponent("attrs-\(rows.count).csv")
      try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
      return url
    }
    let base = [
      "train", orders.path, "--model", "churn-logit", "--calibration-end", "2024-06-30",
      "--features", "frequency,T", "--fill", "-o", folder.appendingPathComponent("m.json").path,
    ]
    // Customers present at the calibration end without a row (c10, c20, …): filled, and said.
    let few = try attributes { $0 % 10 == 0 ? nil : "c\($0)" }
    let ok = try Fixtures.runCLV(base + ["--attributes", few.path])
    #expect(ok.status == 0, "\(ok.standardError)")
    #expect(ok.standardError.contains("--fill: filled the attributes of "), "\(ok.standardError)")
    #expect(!ok.standardError.contains("filled the attributes of 0 "))
    // Zero-padded ids from c41 on: most customers match nothing.
    let padded = try attributes { $0 <= 40 ? "c\($0)" : String(format: "c%05d", $0) }
    let bad = try Fixtures.runCLV(base + ["--attributes", padded.path])
    #expect(bad.status == 65)
    #expect(bad.standardError.contains("--fill"), "\(bad.standardError)")
    #expect(bad.standardError.contains("' in \(orders.path)"), "\(bad.standardError)")
    #expect(bad.standardError.contains("'c00041' in \(padded.path)"), "\(bad.standardError)")
    let share = try #require(
      bad.standardError.firstMatch(of: /no row for (\d+) of (\d+) customers/))
    let missing = try #require(Int(share.1))
    let customers = try #require(Int(share.2))
    #expect(Double(missing) / Double(customers) > 0.2)
  }

  @Test(arguments: [(" ", "whitespace"), ("\t", "tab"), (";", "';'"), ("|", "'|'")])
  func aWrongDelimiterIsNamed(delimiter: String, option: String) throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder, delimiter: delimiter)
    let result = try Fixtures.runCLV(["summarize", orders.path])
    #expect(result.status == 65)
    #expect(result.standardError.contains("no column 'customer_id'"), "\(result.standardError)")
    #expect(
      result.standardError.contains("with --delimiter \(option)"), "\(result.standardError)")
    // With the suggested delimiter it reads.
    let argument = option.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
    let fixed = try Fixtures.runCLV(["summarize", orders.path, "--delimiter", argument])
    #expect(fixed.status == 0, "\(fixed.standardError)")
  }

  /// summarize and score write the same text for the same value (one number format).
  @Test func summarizeAndScoreWriteNumbersAlike() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.orders(in: folder)
    let model = try Self.train(orders, "bgnbd", in: folder)
    let summary = try Fixtures.runCLV(["summarize", orders.path])
    let scores = try Fixtures.runCLV(["score", orders.path, "--model", model.path])
    #expect(summary.status == 0 && scores.status == 0)
    var compared = 0
    for column in ["frequency", "recency", "T", "monetary_value"] {
      let a = Self.column(column, of: summary.standardOutput)
      let b = Self.column(column, of: scores.standardOutput)
      #expect(a.count == 200 && a == b, "\(column)")
      compared += a.values.filter { !$0.contains(".") }.count
    }
    #expect(compared > 200, "whole numbers (recency 0 of one-time buyers) are among them")
    #expect(!scores.standardOutput.contains(",0.0,"))
  }
}
