import Foundation
import TestSupport
import Testing

/// `clv evaluate --attributes` fits the purchase models that take covariates with the
/// attributes, records the coefficients, the likelihood-ratio test and the holdout error with
/// and without covariates in the run file, and `clv report` shows them.
@Suite struct CovariateEvaluateCommandTests {
  let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
  let attributes = Fixtures.repositoryRoot.appendingPathComponent(
    "datasets/demo-attributes.csv"
  ).path

  @Test func evaluateRecordsTheTestAndReportShowsIt() throws {
    let folder = try Fixtures.temporaryDirectory()
    let run = folder.appendingPathComponent("run.json").path
    let evaluated = try Fixtures.runCLV([
      "evaluate", orders, "--models", "bgnbd,nbd", "--calibration-end", "2024-06-30",
      "--attributes", attributes, "--purchase-covariates", "channel",
      "--dropout-covariates", "", "-o", run,
    ])
    #expect(evaluated.status == 0, "\(evaluated.standardError)")
    #expect(
      evaluated.standardError.contains("with covariates vs"), "\(evaluated.standardError)")
    #expect(evaluated.standardError.contains("LR test"), "\(evaluated.standardError)")
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run)))
        as? [String: Any])
    let models = try #require(file["models"] as? [[String: Any]])
    let bgnbd = try #require(models.first { $0["model"] as? String == "bgnbd" })
    let covariates = try #require(bgnbd["covariates"] as? [String: Any])
    let names = (covariates["coefficients"] as? [[String: Any]])?.compactMap {
      $0["name"] as? String
    }
    #expect(
      names == [
        "purchase.channel=email", "purchase.channel=search", "purchase.channel=social",
      ])
    let test = try #require(covariates["likelihoodRatioTest"] as? [String: Any])
    #expect(test["degreesOfFreedom"] as? Int == 3)
    #expect(covariates["nestedHoldout"] is [String: Any])
    // NBD takes no covariates: evaluated without them.
    let nbd = try #require(models.first { $0["model"] as? String == "nbd" })
    #expect(nbd["covariates"] == nil)
    let options = try #require(file["options"] as? [String: Any])
    #expect(options["purchaseCovariates"] as? [String] == ["channel"])
    #expect(options["dropoutCovariates"] as? [String] == [])

    let markdown = folder.appendingPathComponent("report.md").path
    let reported = try Fixtures.runCLV([
      "report", run, "-o", folder.appendingPathComponent("report.html").path, "--markdown",
      markdown,
    ])
    #expect(reported.status == 0, "\(reported.standardError)")
    let text = try String(contentsOfFile: markdown, encoding: .utf8)
    #expect(text.contains("## Covariates"))
    #expect(text.contains("| purchase.channel=email |"), "\(text)")
    #expect(text.contains("Likelihood-ratio test against the same model without covariates"))
  }

  @Test func covariateOptionsOfEvaluateAreChecked() throws {
    let base = ["evaluate", orders, "--calibration-end", "2024-06-30", "-o", "-"]
    let cases: [([String], String)] = [
      (base + ["--purchase-covariates", "channel"], "need --attributes FILE"),
      (
        base + ["--models", "nbd", "--attributes", attributes],
        "--attributes and --fill apply to churn-logit and to the models with covariates"
      ),
      (
        base + ["--models", "nbd,churn-logit", "--attributes", attributes, "--covariate-l2", "1"],
        "--covariate-l2 apply to"
      ),
      (base + ["--attributes", attributes, "--covariate-l2=-1"], "--covariate-l2 must be"),
    ]
    for (arguments, message) in cases {
      let result = try Fixtures.runCLV(arguments)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
      #expect(result.standardError.contains(message), "\(result.standardError)")
    }
  }
}
