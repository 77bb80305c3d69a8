import Foundation
import TestSupport
import Testing

/// sBG and BdW through the commands: `clv train` on a cohort file and on one row per
/// subscriber, `clv score` per subscriber, and the errors of bad subscriber data.
@Suite struct SubscriberCommandTests {
  static let regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]

  /// The Regular cohort of [FH2007] Table 1 as a cohort file and as one row per subscriber
  /// (all starting in period 0).
  func writeInputs(in folder: URL) throws -> (cohort: String, subscribers: String) {
    var cohort = "period,alive\n"
    for (period, alive) in Self.regular.enumerated() { cohort += "\(period),\(alive)\n" }
    var subscribers = "customer_id,start_period,end_period\n"
    var id = 0
    for t in 1...12 {
      for _ in 0..<(Self.regular[t - 1] - Self.regular[t]) {
        id += 1
        subscribers += "c\(id),0,\(t)\n"
      }
    }
    for _ in 0..<Self.regular[12] {
      id += 1
      subscribers += "c\(id),0,\n"
    }
    let cohortPath = folder.appendingPathComponent("regular.csv").path
    let subscribersPath = folder.appendingPathComponent("subscribers.csv").path
    try cohort.write(toFile: cohortPath, atomically: true, encoding: .utf8)
    try subscribers.write(toFile: subscribersPath, atomically: true, encoding: .utf8)
    return (cohortPath, subscribersPath)
  }

  @Test func trainAndScoreTheSBGAndTheBdW() throws {
    let folder = try Fixtures.temporaryDirectory()
    let (cohort, subscribers) = try writeInputs(in: folder)
    let sbgPath = folder.appendingPathComponent("sbg.json").path
    let trained = try Fixtures.runCLV([
      "train", cohort, "--model", "sbg", "--as-of-period", "7", "-o", sbgPath,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.hasPrefix("sBG: 1000 customers"), "\(trained.standardOutput)")
    #expect(trained.standardOutput.contains("expected lifetime: infinite"))
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sbgPath)))
        as? [String: Any])
    #expect(file["unit"] as? String == "opportunity")
    let parameters = try #require(file["parameters"] as? [String: Double])
    assertClose(
      parameters["gamma"] ?? .nan, 0.70407729847351621, relative: 1e-6,
      source: "scripts/reference/contractual_sbg_bdw.py; FH2007 prints 0.704")
    assertClose(
      parameters["delta"] ?? .nan, 1.1820430262094757, relative: 1e-6,
      source: "scripts/reference/contractual_sbg_bdw.py; FH2007 prints 1.182")

    // The same fit from one row per subscriber, as of period 7.
    let bdwPath = folder.appendingPathComponent("bdw.json").path
    let bdw = try Fixtures.runCLV([
      "train", subscribers, "--model", "bdw", "--as-of-period", "7", "-o", bdwPath,
    ])
    #expect(bdw.status == 0, "\(bdw.standardError)")
    #expect(bdw.standardOutput.contains("c            1.28345"), "\(bdw.standardOutput)")

    let scored = try Fixtures.runCLV([
      "score", subscribers, "--model", sbgPath, "--as-of-period", "7", "--horizon", "5",
      "--discount-rate", "0.1", "-o", "-",
    ])
    #expect(scored.status == 0, "\(scored.standardError)")
    let lines = scored.standardOutput.split(separator: "\n")
    #expect(lines.count == 1001, "header and one row per subscriber")
    #expect(
      lines[0]
        == "customer_id,start_period,end_period,renewals,active,retention_next,p_active_horizon,"
        + "expected_periods_horizon,derl,model")
    // An active subscriber as of 7 has made 7 renewals: retention (δ+7)/(γ+δ+7), DERL from the
    // reference at the fitted parameters is checked in SBGCorrectnessTests; here the row's
    // fields are consistent with each other.
    let active = try #require(lines.first { $0.hasPrefix("c1000,") })
    let fields = active.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    #expect(fields[2] == "" && fields[3] == "7" && fields[4] == "1" && fields[9] == "sbg")
    let retention = try #require(Double(fields[5]))
    assertClose(
      retention, (1.1820430262094757 + 7) / (0.70407729847351621 + 1.1820430262094757 + 7),
      relative: 1e-6, source: "FH2007 eq. (8) at the fitted parameters")
    let pActive = try #require(Double(fields[6]))
    #expect(pActive > 0 && pActive < retention)
    let cancelled = try #require(lines.first { $0.hasPrefix("c1,") })
    #expect(cancelled == "c1,0,1,0,0,,0,0,0,sbg")

    let cohortScore = try Fixtures.runCLV(["score", cohort, "--model", sbgPath, "-o", "-"])
    #expect(cohortScore.status == 65)
    #expect(
      cohortScore.standardError.contains("has no subscribers to score")
        || cohortScore.standardError.contains("no subscribers to score"),
      "\(cohortScore.standardError)")
  }

  @Test func scoreWithIntervals() throws {
    let folder = try Fixtures.temporaryDirectory()
    let (cohort, subscribers) = try writeInputs(in: folder)
    let model = folder.appendingPathComponent("bdw.json").path
    let trained = try Fixtures.runCLV([
      "train", cohort, "--model", "bdw", "--as-of-period", "7", "-o", model,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    let arguments = [
      "score", subscribers, "--model", model, "--as-of-period", "7", "--discount-rate", "0.1",
      "--intervals", "0.9", "--draws", "30", "--seed", "5",
    ]
    let scored = try Fixtures.runCLV(arguments)
    #expect(scored.status == 0, "\(scored.standardError)")
    let lines = scored.standardOutput.split(separator: "\n")
    let names = ["retention_next", "p_active_horizon", "expected_periods_horizon", "derl"]
    #expect(
      lines[0].hasSuffix(
        ",model,"
          + names.flatMap { [$0 + "_low", $0 + "_high"] }
          .joined(separator: ",")))
    // An active subscriber: each projection inside its interval.
    let active = try #require(lines.first { $0.hasPrefix("c1000,") })
    let fields = active.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for (k, column) in (5...8).enumerated() {
      let point = try #require(Double(fields[column]))
      let low = try #require(Double(fields[10 + 2 * k]))
      let high = try #require(Double(fields[11 + 2 * k]))
      #expect(low < point && point < high, "\(names[k]): \(active)")
    }
    // The same seed gives the same file; --bootstrap does not apply to subscriber models.
    #expect(try Fixtures.runCLV(arguments).standardOutput == scored.standardOutput)
    let bootstrap = try Fixtures.runCLV(
      Array(arguments.dropLast(4)) + ["--bootstrap", "20"])
    #expect(bootstrap.status == 64)
    #expect(bootstrap.standardError.contains("--bootstrap does not apply to bdw"))
  }

  @Test func evaluateAndReportTheRetentionCurves() throws {
    let folder = try Fixtures.temporaryDirectory()
    let (cohort, _) = try writeInputs(in: folder)
    let run = folder.appendingPathComponent("run.json").path
    let evaluated = try Fixtures.runCLV([
      "evaluate", cohort, "--models", "sbg,bdw", "--as-of-period", "7", "-o", run,
    ])
    #expect(evaluated.status == 0, "\(evaluated.standardError)")
    #expect(evaluated.standardError.contains("sbg: "), "\(evaluated.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run)))
        as? [String: Any])
    let models = try #require(json["models"] as? [[String: Any]])
    #expect(models.count == 2)
    let retention = try #require(models[0]["retention"] as? [String: Any])
    #expect((retention["actualSurvival"] as? [Double])?.count == 13)

    let html = folder.appendingPathComponent("report.html").path
    let markdown = folder.appendingPathComponent("report.md").path
    let rendered = try Fixtures.runCLV(["report", run, "-o", html, "--markdown", markdown])
    #expect(rendered.status == 0, "\(rendered.standardError)")
    let text = try String(contentsOfFile: markdown, encoding: .utf8)
    #expect(text.contains("## Retention"), "the report has a retention section")
    #expect(text.contains("| sBG"), "with an sBG row")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("Survival by tenure"))

    // Mixing models of subscriber data with purchase models is a usage error.
    let mixed = try Fixtures.runCLV([
      "evaluate", cohort, "--models", "sbg,bgnbd", "--as-of-period", "7", "-o", run,
    ])
    #expect(mixed.status == 64)
  }

  @Test func badSubscriberDataExitsWith65NamingFileLineAndColumn() throws {
    let folder = try Fixtures.temporaryDirectory()
    let path = folder.appendingPathComponent("bad.csv").path
    try "customer_id,start_period,end_period\na,2,\nb,4,3\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let result = try Fixtures.runCLV([
      "train", path, "--model", "sbg", "-o", folder.appendingPathComponent("m.json").path,
    ])
    #expect(result.status == 65)
    #expect(
      result.standardError.contains(
        "bad.csv:3: column 'end_period': '3' is not after start_period 4"),
      "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.json").path))

    let usage = try Fixtures.runCLV([
      "train", path, "--model", "bgnbd", "--as-of-period", "3", "-o", "-",
    ])
    #expect(usage.status == 64, "--as-of-period is for subscriber models only")
  }
}
