import Foundation
import TestSupport
import Testing

/// `clv score --intervals` and `clv evaluate --intervals` as the built binary: the columns,
/// the run-file interval, and the input errors (bad level, options without --intervals, a
/// model file without a covariance).
@Suite struct IntervalsCommandTests {
  /// BG/NBD and Gamma-Gamma trained on the demo orders, in a fresh folder.
  func trainedModels() throws -> (folder: URL, orders: String) {
    let folder = try Fixtures.temporaryDirectory()
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    for model in ["bgnbd", "gamma-gamma"] {
      let result = try Fixtures.runCLV([
        "train", orders, "--model", model, "-o",
        folder.appendingPathComponent(model + ".json").path,
      ])
      #expect(result.status == 0, "\(result.standardError)")
    }
    return (folder, orders)
  }

  @Test func scoreWritesIntervalColumns() throws {
    let (folder, orders) = try trainedModels()
    let result = try Fixtures.runCLV([
      "score", orders, "--model", folder.appendingPathComponent("bgnbd.json").path,
      "--spend-model", folder.appendingPathComponent("gamma-gamma.json").path,
      "--intervals", "0.9", "--draws", "50", "--seed", "3",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let names = ["p_alive", "expected_purchases", "prob_no_purchase", "expected_spend", "clv"]
    #expect(Array(header.suffix(10)) == names.flatMap { [$0 + "_low", $0 + "_high"] })
    for line in lines.dropFirst().prefix(200) {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      for (k, name) in names.enumerated() {
        let point = try #require(Double(fields[header.firstIndex(of: name)!]), "\(name): \(line)")
        let low = try #require(Double(fields[header.count - 10 + 2 * k]), "\(line)")
        let high = try #require(Double(fields[header.count - 9 + 2 * k]), "\(line)")
        #expect(low <= high, "\(name): \(line)")
        let slack = 1e-9 * max(1, abs(point))
        #expect(low - slack <= point && point <= high + slack, "\(name): \(line)")
      }
    }
    // The same seed gives the same file.
    let again = try Fixtures.runCLV([
      "score", orders, "--model", folder.appendingPathComponent("bgnbd.json").path,
      "--spend-model", folder.appendingPathComponent("gamma-gamma.json").path,
      "--intervals", "0.9", "--draws", "50", "--seed", "3",
    ])
    #expect(again.standardOutput == result.standardOutput)
  }

  /// A model with covariates: `clv score --attributes --intervals` draws its parameters and
  /// coefficients and scores each customer at their own parameters; the bounds are ordered
  /// around the points, customers with the same history and another channel get other
  /// bounds, and `--bootstrap` refits the model with its attributes.
  @Test func scoreWritesIntervalsForAModelWithCovariates() throws {
    let folder = try Fixtures.temporaryDirectory()
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let attributes = Fixtures.repositoryRoot.appendingPathComponent(
      "datasets/demo-attributes.csv"
    ).path
    let model = folder.appendingPathComponent("bgnbd-channel.json").path
    let train = try Fixtures.runCLV([
      "train", orders, "--model", "bgnbd", "--attributes", attributes,
      "--purchase-covariates", "channel", "--dropout-covariates", "channel", "-o", model,
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let file = try String(contentsOfFile: model, encoding: .utf8)
    #expect(file.contains("\"coefficientCovarianceScale\": \"natural\""))
    let result = try Fixtures.runCLV([
      "score", orders, "--model", model, "--attributes", attributes, "--intervals", "0.9",
      "--draws", "40", "--seed", "2",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let names = ["p_alive", "expected_purchases", "prob_no_purchase"]
    var bounds: [String: String] = [:]  // history → its expected_purchases bounds, per channel
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard !fields[1].isEmpty else { continue }  // a prospect
      for (k, name) in names.enumerated() {
        let point = try #require(Double(fields[header.firstIndex(of: name)!]), "\(line)")
        let low = try #require(Double(fields[header.count - 10 + 2 * k]), "\(line)")
        let high = try #require(Double(fields[header.count - 9 + 2 * k]), "\(line)")
        let slack = 1e-9 * max(1, abs(point))
        #expect(low - slack <= point && point <= high + slack, "\(name): \(line)")
      }
      bounds[fields[1...3].joined(separator: ","), default: ""] +=
        fields[header.count - 8] + ";"
    }
    // Some history is shared by customers of both channels with other bounds.
    #expect(bounds.values.contains { Set($0.split(separator: ";")).count > 1 })
    let bootstrap = try Fixtures.runCLV([
      "score", orders, "--model", model, "--attributes", attributes, "--intervals", "0.9",
      "--bootstrap", "2", "-o", folder.appendingPathComponent("boot.csv").path,
    ])
    #expect(bootstrap.status == 0, "\(bootstrap.standardError)")
  }

  @Test func evaluateRecordsThePredictedTotalInterval() throws {
    let orders = Fixtures.repositoryRoot.appendingPathComponent("datasets/demo-orders.csv").path
    let out = try Fixtures.temporaryDirectory().appendingPathComponent("run.json")
    let result = try Fixtures.runCLV([
      "evaluate", orders, "--calibration-end", "2024-06-30", "--models", "bgnbd",
      "--intervals", "0.9", "--draws", "100", "-o", out.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let run = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
    let models = try #require(run["models"] as? [[String: Any]])
    let holdout = try #require(models.first?["holdout"] as? [String: Any])
    let total = try #require(holdout["predictedTotal"] as? Double)
    let interval = try #require(holdout["predictedTotalInterval"] as? [String: Any])
    let low = try #require(interval["low"] as? Double)
    let high = try #require(interval["high"] as? Double)
    #expect(interval["level"] as? Double == 0.9)
    #expect(interval["draws"] as? Int == 100)
    #expect(low < total && total < high, "\(low) \(total) \(high)")
  }

  @Test func badOptionsAreUsageErrors() throws {
    let (folder, orders) = try trainedModels()
    let model = folder.appendingPathComponent("bgnbd.json").path
    for (arguments, message) in [
      (["--intervals", "1.5"], "--intervals must be a coverage between 0 and 1"),
      (["--intervals", "0"], "--intervals must be a coverage between 0 and 1"),
      (["--draws", "100"], "--draws applies with --intervals LEVEL only"),
      (["--seed", "2"], "--seed applies with --intervals LEVEL only"),
      (["--intervals", "0.9", "--draws", "1"], "--draws must be between 2 and 100000"),
      (["--intervals", "0.9", "--draws", "10", "--bootstrap", "5"], "not both"),
    ] {
      let result = try Fixtures.runCLV(["score", orders, "--model", model] + arguments)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
      #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
    }
  }

  @Test func modelFileWithoutCovarianceIsAClearError() throws {
    let (folder, orders) = try trainedModels()
    let path = folder.appendingPathComponent("bgnbd.json")
    var object = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    #expect(object["logParameterCovariance"] != nil)
    object["logParameterCovariance"] = nil
    let old = folder.appendingPathComponent("old.json")
    try JSONSerialization.data(withJSONObject: object).write(to: old)
    // Without --intervals the older file scores as before.
    let plain = try Fixtures.runCLV(["score", orders, "--model", old.path])
    #expect(plain.status == 0, "\(plain.standardError)")
    let result = try Fixtures.runCLV(["score", orders, "--model", old.path, "--intervals", "0.9"])
    #expect(result.status == 65, "\(result.standardError)")
    #expect(
      result.standardError.contains("old.json")
        && result.standardError.contains("logParameterCovariance"), "\(result.standardError)")
  }

  @Test func bootstrapRefitsOnResamples() throws {
    let (folder, orders) = try trainedModels()
    let result = try Fixtures.runCLV([
      "score", orders, "--model", folder.appendingPathComponent("bgnbd.json").path,
      "--intervals", "0.8", "--bootstrap", "8", "--seed", "4",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let low = header.firstIndex(of: "expected_purchases_low")!
    let fields = lines[1].split(separator: ",", omittingEmptySubsequences: false)
    let lower = try #require(Double(fields[low]))
    let upper = try #require(Double(fields[low + 1]))
    #expect(lower < upper, "\(lines[1])")
    // Without a spend model the spend and CLV bounds are empty.
    #expect(fields[header.firstIndex(of: "clv_low")!].isEmpty)
  }
}
