import Foundation
import TestSupport
import Testing

/// `clv train --model churn-logit`: the model file, the report, and the errors.
@Suite struct ChurnCommandTests {
  /// CDNOW_master.txt read as lifetimes reads it in scripts/reference/churn_logit.py.
  static func cdnowArguments(_ extra: [String]) throws -> [String] {
    [
      try Fixtures.sharedDataset("CDNOW_master.txt").path, "--model", "churn-logit",
      "--delimiter", "whitespace", "--amount-column", "dollar_value", "--date-format", "yyyyMMdd",
      "--unit", "week", "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30",
    ] + extra
  }

  static func json(_ url: URL) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try #require(object as? [String: Any])
  }

  @Test func trainWritesTheModelFileAndTheReport() throws {
    let folder = try Fixtures.temporaryDirectory()
    let output = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV(
      ["train"]
        + Self.cdnowArguments([
          "--features", "frequency,recency,T,monetary_value", "-o", output.path,
        ]))
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("16512 churned"))
    #expect(result.standardOutput.contains("Newton/IRLS: converged in"))
    #expect(result.standardOutput.contains("recency"))
    let file = try Self.json(output)
    #expect(file["model"] as? String == "churn-logit")
    let parameters = try #require(file["parameters"] as? [String: Double])
    let source = "statsmodels 0.14.1 Logit: scripts/reference/churn_logit.py"
    assertClose(parameters["intercept"]!, 0.346975913977688, relative: 1e-6, source: source)
    assertClose(parameters["frequency"]!, -0.24784612937934022, relative: 1e-6, source: source)
    assertClose(parameters["recency"]!, -0.06544137353403433, relative: 1e-6, source: source)
    assertClose(parameters["T"]!, 0.04174236041773967, relative: 1e-6, source: source)
    assertClose(
      parameters["monetary_value"]!, -0.0030580130273567935, relative: 1e-6, source: source)
    let errors = try #require(file["standardErrors"] as? [String: Double])
    assertClose(errors["recency"]!, 0.0021426943182194175, relative: 1e-6, source: source)
    let extra = try #require(file["extra"] as? [String: Any])
    #expect(extra["features"] as? [String] == ["frequency", "recency", "T", "monetary_value"])
    let label = try #require(extra["label"] as? [String: Any])
    #expect(label["calibrationEnd"] as? String == "1997-09-30")
    #expect(label["observationEnd"] as? String == "1998-06-30")
    #expect(label["horizon"] as? Double == 39)
    #expect((extra["scaling"] as? [String: Any])?["T"] != nil)
  }

  @Test func l2PenaltyMatchesScikitLearnAndDropsStandardErrors() throws {
    let folder = try Fixtures.temporaryDirectory()
    let output = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV(
      ["train"]
        + Self.cdnowArguments([
          "--features", "frequency,recency,T,monetary_value", "--l2", "100", "-o", output.path,
        ]))
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("scikit-learn C = 0.01"))
    let file = try Self.json(output)
    let parameters = try #require(file["parameters"] as? [String: Double])
    let source = "scikit-learn 1.3.2, C = 0.01: scripts/reference/churn_logit.py"
    assertClose(parameters["intercept"]!, 0.38669629610165324, relative: 1e-6, source: source)
    assertClose(parameters["recency"]!, -0.0643996652654115, relative: 1e-6, source: source)
    #expect(file["standardErrors"] == nil || file["standardErrors"] is NSNull)
  }

  @Test func btydModelFeaturesAreAddedAndTheModelEmbedded() throws {
    let folder = try Fixtures.temporaryDirectory()
    // The published BG/NBD estimates on CDNOW (Fader, Hardie & Lee 2005a), weeks.
    let bgnbd = folder.appendingPathComponent("bgnbd.json")
    try """
    {"schema": "clvkit-model/1", "model": "bgnbd",
     "parameters": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
     "unit": "week", "createdAt": "2026-11-22T00:00:00Z",
     "tool": {"name": "clv", "version": "0.1.0"}}
    """.write(to: bgnbd, atomically: true, encoding: .utf8)
    let output = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV(
      ["train"]
        + Self.cdnowArguments([
          "--features", "frequency,recency,T", "--with-model", bgnbd.path, "-o", output.path,
        ]))
    #expect(result.status == 0, "\(result.standardError)")
    let extra = try #require(try Self.json(output)["extra"] as? [String: Any])
    #expect(
      extra["features"] as? [String] == [
        "frequency", "recency", "T", "p_alive", "expected_purchases",
      ])
    let specification = try #require(extra["specification"] as? [String: Any])
    let embedded = try #require(specification["transactionModel"] as? [String: Any])
    #expect(embedded["model"] as? String == "bgnbd")
    #expect(specification["expectedPurchasesHorizon"] as? Double == 39)
  }

  /// A small order log: 40 customers, first purchases in January 2024.
  static func smallOrders(in folder: URL) throws -> URL {
    var lines = ["customer_id,date,amount"]
    for c in 1...40 {
      lines.append("c\(c),2024-01-\(String(format: "%02d", 1 + c % 28)),\(10 + c)")
      if c % 2 == 0 { lines.append("c\(c),2024-02-\(String(format: "%02d", 1 + c % 27)),20") }
      if c % 3 == 0 { lines.append("c\(c),2024-04-15,15") }
    }
    let url = folder.appendingPathComponent("orders.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func missingAttributeValueIsAnErrorNamingFileLineAndColumn() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.smallOrders(in: folder)
    var rows = ["customer_id,region"]
    for c in 1...40 { rows.append("c\(c),\(c == 2 ? "" : (c % 2 == 0 ? "north" : "south"))") }
    let attributes = folder.appendingPathComponent("attrs.csv")
    try (rows.joined(separator: "\n") + "\n").write(
      to: attributes, atomically: true, encoding: .utf8)
    let output = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV([
      "train", orders.path, "--model", "churn-logit", "--calibration-end", "2024-03-31",
      "--observation-end", "2024-06-30", "--features", "frequency,T",
      "--attributes", attributes.path, "-o", output.path,
    ])
    #expect(result.status == 65)
    #expect(
      result.standardError.contains("\(attributes.path):3: column 'region'"),
      "\(result.standardError)")
    #expect(result.standardError.contains("--fill"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func collinearFeaturesAreAnErrorNamingTheFeature() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.smallOrders(in: folder)
    let output = folder.appendingPathComponent("churn.json")
    let result = try Fixtures.runCLV([
      "train", orders.path, "--model", "churn-logit", "--calibration-end", "2024-03-31",
      "--observation-end", "2024-06-30", "--features", "recency,T,gap", "-o", output.path,
    ])
    #expect(result.status == 65)
    #expect(
      result.standardError.contains("feature 'gap' is collinear with 'recency', 'T'"),
      "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func badChurnOptionsAreUsageErrors() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = try Self.smallOrders(in: folder).path
    let base = ["train", orders, "--model", "churn-logit", "-o", "-"]
    let dates = ["--calibration-end", "2024-03-31", "--observation-end", "2024-06-30"]
    let cases: [([String], String)] = [
      (base + dates + ["--l2=-1"], "--l2 must be a finite number >= 0"),
      (base + dates + ["--features", "frequency,p_alive"], "'p_alive' needs --with-model"),
      (base + dates + ["--features", "frequency,loyalty"], "unknown feature 'loyalty'"),
      (base + dates + ["--fill"], "--fill needs --attributes"),
      (base, "needs --calibration-end ("),
      (base + dates + ["--penalizer", "0.1"], "--penalizer and --allow-degenerate do not apply"),
      (base + dates + ["--allow-degenerate"], "--penalizer and --allow-degenerate do not apply"),
    ]
    for (arguments, message) in cases {
      let result = try Fixtures.runCLV(arguments)
      #expect(result.status == 64, "\(arguments)")
      #expect(result.standardError.contains(message), "\(result.standardError)")
    }
  }
}
