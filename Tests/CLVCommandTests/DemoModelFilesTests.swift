import Foundation
import TestSupport
import Testing

/// The model files committed in models/ (written by `make demo`) stay loadable and usable.
@Suite struct DemoModelFilesTests {
  @Test func committedDemoModelsScoreTheDemoData() throws {
    let root = Fixtures.repositoryRoot.path
    let result = try Fixtures.runCLV(
      [
        "score", "datasets/demo-orders.csv", "--model", "models/bgnbd.json", "--spend-model",
        "models/gamma-gamma.json", "--churn-model", "models/churn-logit.json", "--attributes",
        "datasets/demo-attributes.csv", "--as-of", "2024-12-30", "-o", "-",
      ], in: URL(fileURLWithPath: root))
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 5001, "one header and 5,000 customers")
    let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false) ?? []
    let clv = try #require(header.firstIndex(of: "clv"))
    let churn = try #require(header.firstIndex(of: "churn_probability"))
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      #expect(Double(fields[clv]).map { $0.isFinite && $0 >= 0 } == true, "clv in \(line)")
      #expect(Double(fields[churn]).map { $0 >= 0 && $0 <= 1 } == true, "churn in \(line)")
    }
  }

  @Test func paretoModelLoads() throws {
    let result = try Fixtures.runCLV(
      ["score", "datasets/demo-orders.csv", "--model", "models/pnbd.json", "-o", "-"],
      in: Fixtures.repositoryRoot)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.split(separator: "\n").count == 5001)
  }
}
