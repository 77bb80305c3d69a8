import Foundation
import TestSupport
import Testing

/// `clv target` run as a binary on small scores files: outputs, errors and exit codes.
@Suite struct TargetCommandTests {
  static let header =
    "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,"
    + "prob_no_purchase,expected_spend,clv,segment,lifecycle_stage,as_of,first_purchase,"
    + "last_purchase,expected_next_purchase,churn_probability,model,spend_model,churn_model"
  // as-of 2024-03-01. Hand-computed stakes: b 40/0.3×0.7 = 93.33…, c 40/0.2×0.8 = 160.
  static let scores =
    [
      header,
      "a,3,10,20,5,0.9,2,0.1,5,100,loyal,active,2024-03-01,2024-01-01,2024-02-20,2024-03-10,,"
        + "bgnbd,gamma-gamma,",
      "b,0,0,30,0,0.3,0.5,0.6,,40,at-risk,departing-180,2024-03-01,2023-08-01,2023-08-01,,,"
        + "bgnbd,gamma-gamma,",
      "c,1,5,30,7,0.2,0.1,0.8,,40,non-target,departing-90,2024-03-01,2023-10-01,2023-11-20,,,"
        + "bgnbd,gamma-gamma,",
      "\"d,1\",,,,,,,,,,prospect,,2024-03-01,,,,,bgnbd,gamma-gamma,",
    ].joined(separator: "\n") + "\n"

  func write(_ text: String, _ name: String = "scores.csv") throws -> URL {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test func winBackListRankedWithReasons() throws {
    let input = try write(Self.scores)
    let result = try Fixtures.runCLV(["target", input.path, "--campaign", "win-back"])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    let expectedHeader =
      "rank,customer_id,segment,lifecycle_stage,last_purchase,p_alive,churn_probability,clv,"
      + "retained_value,value_at_stake,offer_tier,reason"
    #expect(lines.first.map(String.init) == expectedHeader)
    #expect(lines.count == 3)
    #expect(
      lines[1].hasPrefix("1,c,non-target,departing-90,2023-11-20,0.2,,40,200,160,small,"))
    #expect(lines[2].hasPrefix("2,b,at-risk,departing-180,2023-08-01,0.3,,40,"))
    #expect(lines[2].contains(",medium,\"no purchase for more than 180 days; at-risk"))
  }

  @Test func budgetAndLaterAsOfFromStandardInput() throws {
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "win-back", "--budget", "1", "--as-of", "2024-06-01"],
      input: Self.scores)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    // 194 days after 2023-11-20 at 2024-06-01: c is now departing-180, tier medium.
    #expect(lines[1].hasPrefix("1,c,non-target,departing-180,"))
    #expect(lines[1].contains(",medium,"))
  }

  @Test func replenishmentToAFile() throws {
    let input = try write(Self.scores)
    let output = input.deletingLastPathComponent().appendingPathComponent("list.csv")
    let result = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "replenishment", "-o", output.path])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.isEmpty)
    let text = try String(contentsOf: output, encoding: .utf8)
    #expect(
      text == """
        customer_id,segment,lifecycle_stage,last_purchase,due_date,send_date,days_until_due,\
        due_source,clv,reason
        a,loyal,active,2024-02-20,2024-03-10,2024-03-07,9,expected-next-purchase,100,\
        "expected next purchase 2024-03-10, due in 9 days; send 3 days ahead"

        """)
  }

  @Test func replenishmentWithCycleDaysClampsTheSendDate() throws {
    // a: last purchase 2024-02-20 + 10-day cycle = 2024-03-01 (due today): send today.
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "replenishment", "--cycle-days", "10"], input: Self.scores)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[1].hasPrefix("a,loyal,active,2024-02-20,2024-03-01,2024-03-01,0,cycle,"))
  }

  @Test func emptyListHasTheHeaderOnly() throws {
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "win-back"], input: Self.header + "\n")
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.split(separator: "\n").count == 1)
  }

  @Test func badHeaderIsAFileLineErrorWithExit65() throws {
    let input = try write(Self.scores.replacingOccurrences(of: ",segment,", with: ",segmnt,"))
    let output = input.deletingLastPathComponent().appendingPathComponent("list.csv")
    let result = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "win-back", "-o", output.path])
    #expect(result.status == 65)
    #expect(
      result.standardError.hasPrefix(
        "clv: error: \(input.path):1: not a scores header: missing column(s) 'segment'"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func badFieldIsAFileLineErrorAndKeepsAnExistingOutput() throws {
    let input = try write(Self.scores.replacingOccurrences(of: "departing-90", with: "gone"))
    let output = input.deletingLastPathComponent().appendingPathComponent("list.csv")
    try Data("old\n".utf8).write(to: output)
    let result = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "win-back", "-o", output.path])
    #expect(result.status == 65)
    #expect(result.standardError.contains("\(input.path):4: column 'lifecycle_stage'"))
    #expect(try String(contentsOf: output, encoding: .utf8) == "old\n")
  }

  @Test func unknownDepartingStageNeedsDepartingDays() throws {
    let input = try write(
      Self.scores.replacingOccurrences(of: "departing-90", with: "departing-60"))
    let failed = try Fixtures.runCLV(["target", input.path, "--campaign", "win-back"])
    #expect(failed.status == 65)
    #expect(failed.standardError.contains("\(input.path):4: column 'lifecycle_stage'"))
    let ok = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "win-back", "--departing-days", "60,180"])
    #expect(ok.status == 0, "\(ok.standardError)")
    #expect(ok.standardOutput.contains("1,c,non-target,departing-60,"))
  }

  @Test func usageErrors() throws {
    for arguments in [
      ["target", "-", "--campaign", "win-back", "--lead-days", "2"],
      ["target", "-", "--campaign", "replenishment", "--budget", "-1"],
      ["target", "-", "--campaign", "replenishment", "--as-of", "2024-13-01"],
      ["target", "-", "--campaign", "win-back", "--departing-days", "180,90"],
      ["target", "-", "--campaign", "upsell"],
      ["target", "-"],
    ] {
      let result = try Fixtures.runCLV(arguments, input: Self.scores)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
    }
  }

  @Test func asOfBeforeTheScoresIsAUsageError() throws {
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "replenishment", "--as-of", "2024-02-01"], input: Self.scores)
    #expect(result.status == 64)
    #expect(result.standardError.contains("before the as-of date of the scores, 2024-03-01"))
  }

  @Test func missingInputIsExit66() throws {
    let result = try Fixtures.runCLV(["target", "/no/such/scores.csv", "--campaign", "win-back"])
    #expect(result.status == 66)
    #expect(result.standardError.contains("/no/such/scores.csv: cannot read"))
  }

  @Test func helpShowsDefaults() throws {
    let result = try Fixtures.runCLV(["target", "--help"])
    #expect(result.status == 0)
    for text in ["default 14", "default 3", "default 90,180,360", "win-back", "replenishment"] {
      #expect(result.standardOutput.contains(text), "\(text)")
    }
  }
}
