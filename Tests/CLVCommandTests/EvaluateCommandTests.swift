import Foundation
import TestSupport
import Testing

/// `clv evaluate`: runs the built binary on the CDNOW sample (2,357 customers: Pareto/NBD is
/// quick enough in a debug build) and on broken inputs.
@Suite struct EvaluateCommandTests {
  static let sampleArguments = [
    "--no-header", "--customer-column", "2", "--date-column", "3", "--amount-column", "5",
    "--delimiter", "whitespace", "--calibration-end", "1997-09-30", "--observation-end",
    "1998-06-30", "--unit", "week",
  ]

  @Test func writesARunFileThatReportAccepts() throws {
    let folder = try Fixtures.temporaryDirectory()
    let data = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV(
      ["evaluate", data] + Self.sampleArguments + [
        "--models", "bgnbd,pnbd,mbgnbd,gamma-gamma,churn-logit", "--run", "sample", "-o", run,
      ])
    #expect(result.status == 0, "\(result.standardError)")
    for model in ["bgnbd", "pnbd", "mbgnbd", "gamma-gamma", "churn-logit"] {
      #expect(result.standardError.contains("clv: evaluate: \(model): "), "\(result.standardError)")
    }
    #expect(result.standardError.contains("5-fold cross-validation"))

    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run)))
        as? [String: Any])
    #expect(json["schema"] as? String == "clvkit.run/1")
    #expect(json["run"] as? String == "sample")
    let info = try #require(json["data"] as? [String: Any])
    // sha256sum of the file, from ../shared/datasets/README.md.
    #expect(
      info["sha256"] as? String
        == "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a")
    #expect(info["customers"] as? Int == 2357)
    #expect(info["calibrationEnd"] as? String == "1997-09-30")
    #expect(info["holdoutLength"] as? Double == 39)
    let models = try #require(json["models"] as? [[String: Any]])
    #expect(
      models.map { $0["model"] as? String } == [
        "bgnbd", "pnbd", "mbgnbd", "gamma-gamma", "churn-logit",
      ])
    for model in models.prefix(3) {
      let holdout = try #require(model["holdout"] as? [String: Any])
      for key in ["mae", "rmse", "predictedTotal", "actualTotal", "bias", "aic", "bic"] {
        #expect(holdout[key] is Double, "\(key)")
      }
      #expect((holdout["tracking"] as? [String: Any])?["points"] is [Any])
      #expect((holdout["conditionalExpectation"] as? [Any])?.count == 8)
      #expect(holdout["cohorts"] is [Any])
      let churn = try #require(model["churn"] as? [String: Any])
      #expect(churn["validation"] as? String == "holdout")
      #expect((churn["lift"] as? [Any])?.count == 10)
      #expect(model["pAliveHistogram"] is [Any])
      #expect(model["parameters"] is [String: Double])
      #expect(model["standardErrors"] is [String: Double])
    }
    #expect((models[3]["spend"] as? [String: Any])?["predictedMean"] is Double)
    #expect((models[4]["churn"] as? [String: Any])?["validation"] as? String == "cross-validation")
    let ranking = try #require(json["ranking"] as? [String: Any])
    #expect((ranking["byMAE"] as? [Any])?.count == 3)
    #expect((ranking["byAUC"] as? [Any])?.count == 4)

    let html = folder.appendingPathComponent("report.html").path
    let report = try Fixtures.runCLV(["report", run, "-o", html])
    #expect(report.status == 0, "\(report.standardError)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.components(separatedBy: "<svg").count - 1 >= 5)
  }

  @Test func standardInputGivesTheSameHash() throws {
    let folder = try Fixtures.temporaryDirectory()
    let text = try String(
      contentsOf: try Fixtures.sharedDataset("CDNOW_sample.txt"), encoding: .utf8)
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV(
      ["evaluate", "-"] + Self.sampleArguments + ["--models", "bgnbd", "-o", run], input: text)
    #expect(result.status == 0, "\(result.standardError)")
    let saved = try String(contentsOfFile: run, encoding: .utf8)
    #expect(
      saved.contains(
        "\"sha256\" : \"6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a\""))
    #expect(saved.contains("\"file\" : \"-\""))
    // churn-logit needs amounts only for monetary_value; gamma-gamma is left out of the default.
  }

  @Test func badInputIsExit65AndLeavesNoFile() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv").path
    try "customer_id,date\na,2020-01-01\nb,2020-13-01\n".write(
      toFile: orders, atomically: true, encoding: .utf8)
    let run = folder.appendingPathComponent("run.json").path
    let result = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2020-01-15", "--observation-end", "2020-02-01",
      "--models", "bgnbd", "-o", run,
    ])
    #expect(result.status == 65, "\(result.standardError)")
    #expect(result.standardError.contains("orders.csv:3"), "\(result.standardError)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(files == ["orders.csv"], "\(files)")
  }

  @Test func aFailedRunKeepsTheExistingFile() throws {
    // gamma-gamma asked for, but the orders have no amounts: exit 65 after reading the data.
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv").path
    var lines = ["customer_id,date"]
    for c in 0..<20 {
      lines.append("c\(c),2020-01-0\(1 + c % 5)")
      if c % 2 == 0 { lines.append("c\(c),2020-01-1\(c % 9)") }
      if c % 3 == 0 { lines.append("c\(c),2020-02-1\(c % 9)") }
    }
    try lines.joined(separator: "\n").write(toFile: orders, atomically: true, encoding: .utf8)
    let run = folder.appendingPathComponent("run.json").path
    try "previous\n".write(toFile: run, atomically: true, encoding: .utf8)
    let result = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2020-01-31", "--observation-end", "2020-02-29",
      "--unit", "day", "--models", "gamma-gamma", "-o", run,
    ])
    #expect(result.status == 65, "\(result.standardError)")
    #expect(result.standardError.contains("gamma-gamma: the orders have no amount column"))
    #expect(try String(contentsOfFile: run, encoding: .utf8) == "previous\n")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(files.sorted() == ["orders.csv", "run.json"], "\(files)")
  }

  @Test func usageErrorsAreExit64() throws {
    let data = try Fixtures.sharedDataset("CDNOW_sample.txt").path
    let noCalibration = try Fixtures.runCLV(["evaluate", data, "-o", "-"])
    #expect(noCalibration.status == 64)
    #expect(noCalibration.standardError.contains("--calibration-end is required"))
    let unknown = try Fixtures.runCLV(
      ["evaluate", data, "--calibration-end", "1997-09-30", "--models", "bgnbd,xyz", "-o", "-"])
    #expect(unknown.status == 64)
    #expect(unknown.standardError.contains("unknown model 'xyz'"))
  }

  @Test func missingInputIsExit66() throws {
    let result = try Fixtures.runCLV([
      "evaluate", "/nonexistent/orders.csv", "--calibration-end", "2020-01-01", "-o", "-",
    ])
    #expect(result.status == 66, "\(result.standardError)")
  }
}
