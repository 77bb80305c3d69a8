import Foundation
import TestSupport
import Testing

/// `clv train --model gamma-gamma --attributes` fits Gamma-Gamma with spend covariates; `clv
/// score` and `clv predict-new` use each customer's or profile's own spend scale.
@Suite struct CovariateGammaGammaCommandTests {
  let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
  let attributes = Fixtures.repositoryRoot.appendingPathComponent(
    "datasets/demo-attributes.csv"
  ).path

  /// The CSV text as rows of fields (no quoted fields in these outputs).
  func table(_ text: String) -> [[String]] {
    text.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  @Test func trainScoreAndPredictNewWithSpendCovariates() throws {
    let folder = try Fixtures.temporaryDirectory()
    let spendPath = folder.appendingPathComponent("gg-cov.json").path
    let purchasePath = folder.appendingPathComponent("bgnbd.json").path
    let trained = try Fixtures.runCLV([
      "train", orders, "--model", "gamma-gamma", "--attributes", attributes,
      "--spend-covariates", "channel", "-o", spendPath,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.contains("spend.channel=email"))
    #expect(trained.standardOutput.contains("likelihood-ratio test against no covariates"))
    #expect(trained.standardError.contains("repeat buyers with positive monetary value"))
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spendPath)))
        as? [String: Any])
    #expect(file["model"] as? String == "gamma-gamma")
    #expect(file["unit"] == nil || file["unit"] is NSNull)
    let extra = try #require(file["extra"] as? [String: Any])
    let covariates = try #require(extra["covariates"] as? [String: Any])
    let design = try #require(covariates["design"] as? [String: Any])
    #expect(design["spendColumns"] as? [String] == ["channel"])
    #expect(design["purchaseColumns"] as? [String] == [])
    let parameters = try #require(file["parameters"] as? [String: Double])
    let deltaEmail = try #require(parameters["spend.channel=email"])
    let deltaSearch = try #require(parameters["spend.channel=search"])
    #expect(
      try #require(file["standardErrors"] as? [String: Double])["spend.channel=search"] != nil)

    let plain = try Fixtures.runCLV(["train", orders, "--model", "bgnbd", "-o", purchasePath])
    #expect(plain.status == 0, "\(plain.standardError)")
    let scored = try Fixtures.runCLV([
      "score", orders, "--model", purchasePath, "--spend-model", spendPath, "--attributes",
      attributes, "-o", "-",
    ])
    #expect(scored.status == 0, "\(scored.standardError)")
    let rows = table(scored.standardOutput)
    #expect(rows.count == 5001)
    let spend = try #require(rows[0].firstIndex(of: "expected_spend"))
    #expect(rows.dropFirst().allSatisfy { Double($0[spend])?.isFinite == true })
    // The spend model needs the attributes; without them, a usage error.
    let bare = try Fixtures.runCLV([
      "score", orders, "--model", purchasePath, "--spend-model", spendPath, "-o", "-",
    ])
    #expect(bare.status == 64, "\(bare.standardError)")
    #expect(bare.standardError.contains("has covariates: give --attributes"))

    // New customers: the mean spend of each profile is the reference level's (affiliate)
    // times exp(δ) of its channel, and the purchase model has no covariates.
    let profiles = folder.appendingPathComponent("profiles.csv").path
    try "customer_id,channel\naffiliate,affiliate\nemail,email\nsearch,search\n".write(
      toFile: profiles, atomically: true, encoding: .utf8)
    let predicted = try Fixtures.runCLV([
      "predict-new", "--model", purchasePath, "--spend-model", spendPath, "--attributes",
      profiles, "--horizon", "52w",
    ])
    #expect(predicted.status == 0, "\(predicted.standardError)")
    let lines = table(predicted.standardOutput)
    #expect(lines.count == 4)
    let reference = try #require(Double(lines[1][2]))
    assertClose(
      try #require(Double(lines[2][2])) / reference, Double.exp(deltaEmail), relative: 1e-12,
      source: "E[z | w] = p γ e^(δᵀw)/(q − 1)")
    assertClose(
      try #require(Double(lines[3][2])) / reference, Double.exp(deltaSearch), relative: 1e-12,
      source: "E[z | w] = p γ e^(δᵀw)/(q − 1)")
    // Same purchases for every profile, so CLV scales with the spend.
    #expect(lines[1][1] == lines[2][1])
    assertClose(
      try #require(Double(lines[2][3])) / (try #require(Double(lines[1][3]))),
      Double.exp(deltaEmail), relative: 1e-12, source: "clv = margin · spend · purchases")
  }

  @Test func spendCovariateOptionsAreCheckedBeforeTheFit() throws {
    let purchaseOption = try Fixtures.runCLV([
      "train", orders, "--model", "gamma-gamma", "--attributes", attributes,
      "--purchase-covariates", "channel", "-o", "-",
    ])
    #expect(purchaseOption.status == 64, "\(purchaseOption.standardError)")
    #expect(purchaseOption.standardError.contains("takes --spend-covariates"))
    let spendOnPurchase = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--spend-covariates", "channel", "-o", "-",
    ])
    #expect(spendOnPurchase.status == 64, "\(spendOnPurchase.standardError)")
    let withoutAttributes = try Fixtures.runCLV([
      "train", orders, "--model", "gamma-gamma", "--spend-covariates", "channel", "-o", "-",
    ])
    #expect(withoutAttributes.status == 64)
    let unknown = try Fixtures.runCLV([
      "train", orders, "--model", "gamma-gamma", "--attributes", attributes,
      "--spend-covariates", "region", "-o", "-",
    ])
    #expect(unknown.status != 0)
    #expect(unknown.standardError.contains("no column 'region'"), "\(unknown.standardError)")
  }

  /// `clv simulate --attribute-effects spend=δ` records δ in the truth file, and Gamma-Gamma
  /// with the simulated channel finds it.
  @Test func simulateWithASpendEffectAndRecoverIt() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = folder.appendingPathComponent("orders.csv").path
    let simulated = try Fixtures.runCLV([
      "simulate", "--customers", "4000", "--seed", "3", "--attribute-effects", "spend=0.4",
      "-o", orders,
    ])
    #expect(simulated.status == 0, "\(simulated.standardError)")
    let truth = try #require(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: orders + ".truth.json"))) as? [String: Any])
    let coefficients = try #require(
      (truth["covariates"] as? [String: Any])?["coefficients"] as? [String: Double])
    #expect(coefficients["spend.channel=web"] == 0.4)
    let model = folder.appendingPathComponent("gg.json").path
    let trained = try Fixtures.runCLV([
      "train", orders, "--model", "gamma-gamma", "--attributes", orders + ".attributes.csv",
      "-o", model,
    ])
    #expect(trained.status == 0, "\(trained.standardError)")
    let file = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model)))
        as? [String: Any])
    let estimate = try #require((file["parameters"] as? [String: Double])?["spend.channel=web"])
    let se = try #require((file["standardErrors"] as? [String: Double])?["spend.channel=web"])
    // 4 standard errors: a band the estimate leaves with probability 6e-5 if unbiased.
    #expect(abs(estimate - 0.4) < 4 * se, "estimate \(estimate) ± \(se)")
    let unknown = try Fixtures.runCLV([
      "simulate", "--customers", "10", "--attribute-effects", "spending=0.4", "-o", orders,
    ])
    #expect(unknown.status == 64)
    #expect(unknown.standardError.contains("spend"), "\(unknown.standardError)")
  }
}
