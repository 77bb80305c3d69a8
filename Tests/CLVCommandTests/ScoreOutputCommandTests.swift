import Foundation
import TestSupport
import Testing

/// What `clv score` writes: its chunked, parallel byte-level writer must keep the output of the
/// per-row formatting it replaced, in the one number format of every writer (shortest round
/// trip, whole numbers without `.0`, as `clv summarize` writes them).
struct ScoreOutputCommandTests {
  /// `Tests/Expected/score-expected.csv` was written by the per-row String writer (main at
  /// 09f2e05, before the byte-level writer) from `Tests/Expected/score-orders.csv` (the demo
  /// orders of c1…c120) with the demo model files:
  /// `clv score score-orders.csv --model ../../models/bgnbd.json --spend-model
  /// ../../models/gamma-gamma.json --churn-model ../../models/churn-logit.json --attributes
  /// ../../datasets/demo-attributes.csv --as-of 2024-12-30 -o score-expected.csv`; whole
  /// numbers then lost their `.0` (issue 11 part 7: one number format; `sed` on the file, no
  /// other byte changed).
  /// Issue 14 changed the rules of `segment`, `lifecycle_stage` and `expected_next_purchase`
  /// (the shrunk purchase cycle): those three columns were re-written by the same command,
  /// every other field kept as it was.
  ///
  /// Text, ids, dates, counts and labels must match exactly; decimals within a relative 1e-12.
  /// `churn_probability` goes through OpenBLAS (the logistic model's linear predictor), whose
  /// kernels differ between CPUs in the last bits (issue 11 part 1: ≤ 2.2e-16 between Intel and
  /// AMD EPYC), so a byte comparison would fail on one of them; 1e-12 is far below any digit a
  /// user reads and far above those differences.
  @Test func demoSubsetScoresMatchThePerRowWriter() throws {
    let root = Fixtures.repositoryRoot
    let expected = root.appendingPathComponent("Tests/Expected/score-expected.csv")
    let result = try Fixtures.runCLV(
      [
        "score", "Tests/Expected/score-orders.csv", "--model", "models/bgnbd.json",
        "--spend-model", "models/gamma-gamma.json", "--churn-model", "models/churn-logit.json",
        "--attributes", "datasets/demo-attributes.csv", "--as-of", "2024-12-30",
      ], in: root)
    #expect(result.status == 0, "\(result.standardError)")
    let expectedText = try String(contentsOf: expected, encoding: .utf8)
    let difference = NumericText(relative: 1e-12).firstDifference(
      result.standardOutput, expectedText)
    #expect(difference == nil, "\(difference ?? "")")
  }

  /// Several write chunks (8,192 rows each): rows stay in input order, ids are quoted when
  /// needed, and every number is in the one form: `"\(value)"` (shortest round trip), whole
  /// numbers without `.0`.
  @Test func manyRowsKeepOrderAndNumberForm() throws {
    let folder = try Fixtures.temporaryDirectory()
    var lines = ["customer_id,frequency,recency,T,monetary_value"]
    var rng = SplitMix64(seed: 3)
    let count = 20_000
    for i in 0..<count {
      let age = Double(rng.next() % 700 + 1) / 7
      let frequency = Int(rng.next() % 6)
      let recency = frequency == 0 ? 0 : (age * Double(rng.next() % 1000) / 1000)
      let money = frequency == 0 ? 0 : Double(rng.next() % 20_000) / 100 + 1
      let id = i == 5 ? "\"a,b\"" : (i == 9000 ? "\"q\"\"x\"" : "k\(i)")
      lines.append("\(id),\(frequency),\(recency),\(age),\(money)")
    }
    let input = folder.appendingPathComponent("summary.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
    let result = try Fixtures.runCLV([
      "score", input.path, "--model",
      Fixtures.repositoryRoot.appendingPathComponent("models/bgnbd.json").path,
      "--spend-model",
      Fixtures.repositoryRoot.appendingPathComponent("models/gamma-gamma.json").path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let output = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
    try #require(output.count == count + 2)  // header, rows, and the final empty split
    for i in 0..<count {
      let line = output[i + 1]
      let id = i == 5 ? "\"a,b\"" : (i == 9000 ? "\"q\"\"x\"" : "k\(i)")
      #expect(line.hasPrefix(id + ","), "row \(i): \(line)")
      let fields = line.dropFirst(id.count + 1).split(
        separator: ",", omittingEmptySubsequences: false)
      // frequency, recency, T, monetary_value, p_alive, expected_purchases, prob_no_purchase,
      // expected_spend, clv: each as Swift writes the double it denotes, whole numbers bare.
      for (k, field) in fields.prefix(9).enumerated() {
        if k == 0 {
          #expect(Int(field) != nil, "row \(i): \(line)")
          continue
        }
        let value = try #require(Double(field), "row \(i) field \(k): \(line)")
        let form =
          value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        #expect(field == form, "row \(i) field \(k): \(line)")
      }
    }
    // Rows of later chunks carry their own scores: scored alone, they give the same lines.
    let picked = [1, 8191, 8192, 9000, 16_385, 19_999]
    let small = folder.appendingPathComponent("picked.csv")
    try ([lines[0]] + picked.map { lines[$0 + 1] }).joined(separator: "\n").appending("\n")
      .write(to: small, atomically: true, encoding: .utf8)
    var arguments = ["score", small.path]
    arguments += [
      "--model", Fixtures.repositoryRoot.appendingPathComponent("models/bgnbd.json").path,
      "--spend-model",
      Fixtures.repositoryRoot.appendingPathComponent("models/gamma-gamma.json").path,
    ]
    let alone = try Fixtures.runCLV(arguments)
    #expect(alone.status == 0, "\(alone.standardError)")
    let aloneLines = alone.standardOutput.split(separator: "\n")
    try #require(aloneLines.count == picked.count + 1)
    for (k, i) in picked.enumerated() {
      #expect(aloneLines[k + 1] == output[i + 1], "row \(i)")
    }
  }
}
