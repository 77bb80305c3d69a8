import Foundation
import TestSupport
import Testing

/// `clv train --attributes` fits a purchase model with covariates, stores the encoding in the
/// model file, and `clv score --attributes` scores each customer with their own parameters.
@Suite struct CovariateCommandTests {
  let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
  let attributes = Fixtures.repositoryRoot.appendingPathComponent(
    "datasets/demo-attributes.csv"
  ).path

  @Test func trainAndScoreBGNBDWithCovariates() throws {
    let folder = try Fixtures.temporaryDirectory()
    let modelPath = folder.appendingPathComponent("bgnbd-cov.json").path
    let trained = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--purchase-covariates", "channel,newsletter_opens", "--dropout-covariates", "channel",
      "-o", modelPath,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.contains("purchase.newsletter_opens"))
    #expect(trained.standardOutput.contains("likelihood-ratio test against no covariates"))
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: modelPath)))
        as? [String: Any])
    #expect(file["model"] as? String == "bgnbd")
    let extra = try #require(file["extra"] as? [String: Any])
    let covariates = try #require(extra["covariates"] as? [String: Any])
    let design = try #require(covariates["design"] as? [String: Any])
    #expect(design["purchaseColumns"] as? [String] == ["channel", "newsletter_opens"])
    #expect(design["dropoutColumns"] as? [String] == ["channel"])
    #expect(covariates["pValues"] is [String: Double])
    let errors = try #require(file["standardErrors"] as? [String: Double])
    #expect(errors["purchase.newsletter_opens"] != nil)

    let scored = try Fixtures.runCLV([
      "score", orders, "--model", modelPath, "--attributes", attributes, "-o", "-",
    ])
    #expect(scored.status == 0, "\(scored.standardError)")
    #expect(scored.standardOutput.split(separator: "\n").count == 5001)

    // Without the attributes the model cannot score (usage error), and a command that does
    // not take attributes refuses the file instead of ignoring the covariates.
    let bare = try Fixtures.runCLV(["score", orders, "--model", modelPath, "-o", "-"])
    #expect(bare.status == 64, "\(bare.standardError)")
    #expect(bare.standardError.contains("has covariates: give --attributes"))
    let target = try Fixtures.runCLV([
      "train", orders, "--model", "churn-logit", "--calibration-end", "2024-06-30",
      "--with-model", modelPath, "-o", folder.appendingPathComponent("churn.json").path,
    ])
    #expect(target.status != 0)
    #expect(target.standardError.contains("has covariates"), "\(target.standardError)")
  }

  @Test func covariateOptionsAreCheckedBeforeTheFit() throws {
    let unknown = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--purchase-covariates", "region", "-o", "-",
    ])
    #expect(unknown.status != 0)
    #expect(unknown.standardError.contains("no column 'region'"), "\(unknown.standardError)")
    let withoutAttributes = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--covariate-l2", "0.1", "-o", "-",
    ])
    #expect(withoutAttributes.status == 64)
    let notSupported = try Fixtures.runCLV([
      "train", orders, "--model", "nbd", "--attributes", attributes, "-o", "-",
    ])
    #expect(notSupported.status == 64, "\(notSupported.standardError)")
  }

  /// `--same-coefficient channel`: one `shared.channel=…` coefficient per feature instead of
  /// one per link, and the likelihood-ratio test counts only the free coefficients.
  @Test func sameCoefficientSharesOneCoefficientBetweenTheProcesses() throws {
    let trained = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--purchase-covariates", "channel", "--dropout-covariates", "channel",
      "--same-coefficient", "channel", "-o",
      try Fixtures.temporaryDirectory().appendingPathComponent("m.json").path,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.contains("shared.channel=email"), "\(trained.standardOutput)")
    #expect(!trained.standardOutput.contains("purchase.channel=email"))
    // channel has 4 levels: 3 shared coefficients instead of 3 per link (9).
    #expect(trained.standardOutput.contains("df = 3,"), "\(trained.standardOutput)")
    let notBoth = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--purchase-covariates", "channel,newsletter_opens", "--dropout-covariates", "channel",
      "--same-coefficient", "newsletter_opens", "-o", "-",
    ])
    #expect(notBoth.status != 0)
    #expect(
      notBoth.standardError.contains(
        "--same-coefficient: column 'newsletter_opens' must act on both processes"),
      "\(notBoth.standardError)")
    let withoutAttributes = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--same-coefficient", "channel", "-o", "-",
    ])
    #expect(withoutAttributes.status == 64)
  }
}
