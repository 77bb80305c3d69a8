import Foundation
import TestSupport
import Testing

/// `clv evaluate` keeps what works (issue 11, part 6): a failing model is recorded with its
/// error, a degenerate purchase-model fit is kept and explained, churn-logit takes train's
/// options. The order logs are built here (seeded), modelled on two real cases.
@Suite struct EvaluateFailuresCommandTests {
  /// Apparel-like: the export starts on the day every customer was acquired (the first row of
  /// each customer is 2023-01-01), so T is the same for everybody and churn-logit's `T` feature
  /// is constant. 400 customers buying at one of four rates until a random dropout day.
  static func apparelOrders() -> String {
    var generator = SeededGenerator(seed: 11)
    var lines = ["customer_id,date,amount"]
    let start = Calendar.utc.date(from: DateComponents(year: 2023, month: 1, day: 1))!
    for customer in 0..<400 {
      let rate = [0.005, 0.01, 0.02, 0.04][customer % 4]
      let dropout = 30 + Int(generator.next() % 1200)
      for day in 0..<730 where day == 0 || (day < dropout && generator.unit() < rate) {
        let amount = 20 + generator.next() % 70
        lines.append("a\(customer),\(Calendar.utc.day(start, plus: day)),\(amount).00")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A short-history shop: 8 weeks of data; every customer buys every 5, 7 or 9 days from a
  /// start in the first three weeks; a fifth stop on day 44 (after the calibration end, day
  /// 42). Nobody stops within the calibration period: the BG/NBD fit is degenerate (a → 0).
  static func shortHistoryOrders() -> String {
    var generator = SeededGenerator(seed: 5)
    var lines = ["customer_id,date,amount"]
    let start = Calendar.utc.date(from: DateComponents(year: 2023, month: 1, day: 1))!
    for customer in 0..<200 {
      let first = Int(generator.next() % 21)
      let stop = customer % 5 == 0 ? 44 : 56
      let gap = [5, 7, 9][Int(generator.next() % 3)]
      for day in stride(from: first, to: stop, by: gap) {
        lines.append("s\(customer),\(Calendar.utc.day(start, plus: day)),\(20 + day % 50).00")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func write(_ text: String, _ name: String) throws -> (folder: URL, path: String) {
    let folder = try Fixtures.temporaryDirectory()
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return (folder, url.path)
  }

  static func models(_ run: String) throws -> [String: [String: Any]] {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run)))
        as? [String: Any])
    let list = try #require(json["models"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: list.map { ($0["model"] as? String ?? "?", $0) })
  }

  // Pareto/NBD is left out: on these small degenerate data its debug-build fit is slow.
  static let models = ["--models", "bgnbd,mbgnbd,gamma-gamma,churn-logit"]

  @Test func aFailingModelIsRecordedAndTheOthersKept() throws {
    let (folder, orders) = try Self.write(Self.apparelOrders(), "apparel.csv")
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV(
      ["evaluate", orders, "--calibration-end", "2024-06-30", "-o", run] + Self.models)
    #expect(result.status == 0, "\(result.standardError)")
    let warnings = result.standardError.split(separator: "\n").filter {
      $0.hasPrefix("clv: warning: evaluate: churn-logit failed")
    }
    #expect(warnings.count == 1, "\(result.standardError)")
    #expect(warnings.first?.contains("feature 'T' is constant") == true)
    let models = try Self.models(run)
    #expect((models["churn-logit"]?["error"] as? String)?.contains("'T' is constant") == true)
    #expect((models["churn-logit"]?["parameters"] as? [String: Any])?.isEmpty == true)
    for kept in ["bgnbd", "mbgnbd", "gamma-gamma"] {
      #expect(models[kept]?["error"] == nil, "\(kept)")
    }
    #expect(models["bgnbd"]?["holdout"] != nil)
    // The report shows the failure.
    let report = folder.appendingPathComponent("report.html").path
    let rendered = try Fixtures.runCLV(["report", run, "-o", report])
    #expect(rendered.status == 0, "\(rendered.standardError)")
    let html = try String(contentsOfFile: report, encoding: .utf8)
    // A failed entry carries the registry's display name, as a fitted one does.
    #expect(
      html.contains("Warning: logistic churn failed and has no measures: logistic churn: feature"))

    // --strict: the failure is an error and no run file is written.
    let strictRun = folder.appendingPathComponent("strict.json").path
    let strict = try Fixtures.runCLV(
      ["evaluate", orders, "--calibration-end", "2024-06-30", "--strict", "-o", strictRun]
        + ["--models", "bgnbd,churn-logit"])
    #expect(strict.status == 65, "\(strict.standardError)")
    #expect(strict.standardError.contains("clv: error: logistic churn: feature 'T' is constant"))
    #expect(!FileManager.default.fileExists(atPath: strictRun))

    // train's churn-logit options: without T (and with a penalty) churn-logit succeeds.
    let fixed = folder.appendingPathComponent("fixed.json").path
    let withFeatures = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "bgnbd,churn-logit",
      "--features", "frequency,recency,log_frequency", "--l2", "0.5", "-o", fixed,
    ])
    #expect(withFeatures.status == 0, "\(withFeatures.standardError)")
    let churn = try #require(try Self.models(fixed)["churn-logit"])
    #expect(churn["error"] == nil)
    let coefficients = try #require(churn["parameters"] as? [String: Double])
    #expect(Set(coefficients.keys) == ["intercept", "frequency", "recency", "log_frequency"])
  }

  @Test func everyModelFailingIsAnError() throws {
    let (folder, orders) = try Self.write(Self.apparelOrders(), "apparel.csv")
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "churn-logit", "-o", run,
    ])
    #expect(result.status == 65, "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: run))
  }

  @Test func aDegenerateFitIsKeptAndExplained() throws {
    let (folder, orders) = try Self.write(Self.shortHistoryOrders(), "short.csv")
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV(
      ["evaluate", orders, "--calibration-end", "2023-02-12", "-o", run] + Self.models)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardError.contains(
        "clv: warning: evaluate: bgnbd: nobody churns within this history"),
      "\(result.standardError)")
    let bgnbd = try #require(try Self.models(run)["bgnbd"])
    #expect((bgnbd["fit"] as? [String: Any])?["degenerate"] as? Bool == true)
    let findings = bgnbd["findings"] as? [String] ?? []
    #expect(findings.contains { $0.hasPrefix("nobody churns within this history") }, "\(findings)")
    #expect(bgnbd["holdout"] != nil)
    let report = folder.appendingPathComponent("report.html").path
    #expect(try Fixtures.runCLV(["report", run, "-o", report]).status == 0)
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("BG/NBD: nobody churns within this history"))
    // --strict: the degenerate fit is an error (exit 70, as `clv train` without
    // --allow-degenerate).
    let strict = try Fixtures.runCLV(
      ["evaluate", orders, "--calibration-end", "2023-02-12", "--strict", "-o", run]
        + ["--models", "bgnbd"])
    #expect(strict.status == 70, "\(strict.standardError)")
  }

  /// --penalizer applies to the purchase and spend models only; churn-logit's penalty is --l2.
  @Test func penalizerLeavesChurnLogitAlone() throws {
    let (folder, orders) = try Self.write(Self.apparelOrders(), "apparel.csv")
    var coefficients: [[String: Double]] = []
    var bgnbd: [[String: Double]] = []
    for penalizer in ["0", "0.1"] {
      let run = folder.appendingPathComponent("run-\(penalizer).json").path
      let result = try Fixtures.runCLV([
        "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "bgnbd,churn-logit",
        "--features", "frequency,recency", "--penalizer", penalizer, "-o", run,
      ])
      #expect(result.status == 0, "\(result.standardError)")
      let models = try Self.models(run)
      coefficients.append(models["churn-logit"]?["parameters"] as? [String: Double] ?? [:])
      bgnbd.append(models["bgnbd"]?["parameters"] as? [String: Double] ?? [:])
    }
    #expect(!coefficients[0].isEmpty && coefficients[0] == coefficients[1])
    #expect(bgnbd[0] != bgnbd[1])
  }

  @Test func churnOptionsNeedChurnLogit() throws {
    let result = try Fixtures.runCLV([
      "evaluate", "orders.csv", "--calibration-end", "2024-06-30", "--models", "bgnbd",
      "--l2", "1", "-o", "run.json",
    ])
    #expect(result.status == 64)
    #expect(result.standardError.contains("apply to churn-logit, which --models does not list"))
  }
}

extension Calendar {
  fileprivate static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  /// `yyyy-MM-dd` of `start` plus `days` days.
  fileprivate func day(_ start: Date, plus days: Int) -> String {
    let c = dateComponents(
      [.year, .month, .day], from: date(byAdding: .day, value: days, to: start)!)
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
  }
}

extension SeededGenerator {
  /// A uniform value in [0, 1).
  fileprivate mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
