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

  /// The order log behind `scores` (plus e, who is not in the scores: bought 2023-08-15 and
  /// again 2023-12-20, a reactivation the backtest sees).
  static let orders = """
    customer_id,date,amount
    a,2024-01-01,10
    a,2024-01-20,10
    a,2024-02-05,10
    a,2024-02-20,10
    b,2023-08-01,30
    c,2023-10-01,20
    c,2023-11-20,20
    e,2023-08-15,10
    e,2023-12-20,10

    """

  /// `orders` in a file of its own; its path.
  func ordersPath() throws -> String {
    try write(Self.orders, "orders.csv").path
  }

  func write(_ text: String, _ name: String = "scores.csv") throws -> URL {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test func winBackListRankedWithReasons() throws {
    let orders = try ordersPath()
    let input = try write(Self.scores)
    let result = try Fixtures.runCLV([
      "target", input.path, "--campaign", "win-back", "--orders", orders,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    let expectedHeader =
      "rank,customer_id,segment,lifecycle_stage,last_purchase,frequency,cycle_days,"
      + "cycles_since_last_purchase,p_reactivation,value_if_reactivated,expected_value,"
      + "offer_tier,reason"
    #expect(lines.first.map(String.init) == expectedHeader)
    #expect(lines.count == 3)
    // Backtest dates 2023-12-02 and 2023-09-03 (2023-06-05 is before the first order). At
    // 2023-12-02 (population cycle: c's 50 days) b and e are one-time buyers 2–4 cycles
    // silent, e came back on 2023-12-20: 1 of 2; c is < 1 cycle silent, no purchase: 0 of 1.
    // At 2023-09-03 no one has a cycle. Pooled rate 1 / 3: b and c are in states seen 0 times,
    // P = 1/3, 1 purchase day. Spend per day: population 130 / 9 days; b (2 · 130/9 + 30) / 3
    // = 19.63, c (2 · 130/9 + 40) / 4 = 17.22: b first.
    #expect(lines[1].hasPrefix("1,b,at-risk,departing-180,2023-08-01,0,50,4.26,"))
    #expect(lines[1].contains(",0.3333333333333333,"))
    #expect(lines[1].contains(",medium,\"no purchase for more than 180 days; at-risk"))
    #expect(lines[2].hasPrefix("2,c,non-target,departing-90,2023-11-20,1,50,2.04,"))
    #expect(lines[2].contains("0 of 0 such customers bought again within 90 days at 2 past dates"))
  }

  @Test func budgetAndLaterAsOfFromStandardInput() throws {
    let orders = try ordersPath()
    let arguments = [
      "target", "-", "--campaign", "win-back", "--orders", orders, "--as-of", "2024-06-01",
    ]
    let result = try Fixtures.runCLV(arguments + ["--budget", "1"], input: Self.scores)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[1].hasPrefix("1,b,at-risk,departing-180,"))
    // 194 days after 2023-11-20 at 2024-06-01: c is now departing-180, tier medium.
    let all = try Fixtures.runCLV(arguments, input: Self.scores)
    #expect(all.status == 0, "\(all.standardError)")
    let allLines = all.standardOutput.split(separator: "\n")
    #expect(allLines.count == 3)
    #expect(allLines[2].hasPrefix("2,c,non-target,departing-180,"))
    #expect(allLines[2].contains(",medium,"))
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
        "expected next purchase = last purchase 2024-02-20 + 19-day cycle, 2024-03-10, due in \
        9 days; send 3 days ahead"

        """)
  }

  /// With --orders the list keeps the customers whose state bought within 30 days at past
  /// dates at least as often as the active customers on average. Replays at 2024-01-31,
  /// 2024-01-01, 2023-12-02 (2023-11-02: nobody has a cycle yet): 11 customer-dates, 3 bought
  /// (a twice, e once), pooled 3/11. At 2024-03-01 the active customers are a (x 3, 1/3 cycle
  /// silent: a state never replayed, P = 3/11 = 0.273) and e (x 1, 0.95 cycles: 1 of 5 in
  /// that state, P = (1 + 20 · 3/11) / 25 = 0.258); threshold 0.265: a stays. With one
  /// replay date (2024-01-31: a bought, e, b, c did not; pooled 1/4) a's P is 0.25 and e's
  /// (1 + 5) / 22 = 0.273: the threshold 0.261 drops a.
  @Test func replenishmentWithOrdersKeepsTheLikelyBuyers() throws {
    let orders = try ordersPath()
    let arguments = ["target", "-", "--campaign", "replenishment", "--orders", orders]
    let result = try Fixtures.runCLV(arguments, input: Self.scores)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[1].hasPrefix("a,loyal,active,2024-02-20,2024-03-10,2024-03-07,9,"))
    #expect(
      lines[1].contains("; P(purchase within 30 days) 0.27 ≥ 0.27, the active customers' mean"))
    let one = try Fixtures.runCLV(arguments + ["--backtest-dates", "1"], input: Self.scores)
    #expect(one.status == 0, "\(one.standardError)")
    #expect(one.standardOutput.split(separator: "\n").count == 1)
  }

  /// --model: at 2024-03-01 the customers not lapsed are a (x 3, last purchase 2024-02-20)
  /// and e (x 1, silent 72 days, lapsed only after 151: cycle (2 · 50 + 127) / 3 = 75.7 with
  /// the population's 50), not b (one-time, 213 days) nor c (102 days > 2 cycles of 50).
  /// Under the demo BG/NBD a, the frequent recent buyer, has the larger P(purchase within 30
  /// days), so a is at least the mean of the two and listed (e is not in the scores): due at
  /// its expected next purchase 2024-03-10, sent 3 days ahead.
  @Test func replenishmentWithAModelRanksByPurchaseProbability() throws {
    let orders = try ordersPath()
    let result = try Fixtures.runCLV(
      [
        "target", "-", "--campaign", "replenishment", "--orders", orders, "--model",
        "models/bgnbd.json",
      ], input: Self.scores)
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(
      lines.last?.hasPrefix(
        "a,loyal,active,2024-02-20,2024-03-10,2024-03-07,9,expected-next-purchase,") == true)
    #expect(
      lines.last?.contains(
        "the active customers' mean, by bgnbd; expected next purchase 2024-03-10, due in 9 days"
      ) == true)
  }

  /// Without --model the list is timed by due dates, and stderr says once that the model's P
  /// ranks better (the product decision of guides/segments-and-targeting.md, "Which
  /// replenishment rule"), naming what to add: --orders and --model, or --model alone when
  /// --orders is given. With --model there is no note.
  @Test func replenishmentWithoutAModelSaysOnceThatAModelRanksBetter() throws {
    let orders = try ordersPath()
    let note = "clv: note: target: replenishment list timed by due dates; the purchase model's "
    for (extra, advice) in [
      ([String](), "add --orders ORDERS --model MODEL, the purchase model file"),
      (["--orders", orders], "add --model MODEL, the purchase model file"),
    ] {
      let result = try Fixtures.runCLV(
        ["target", "-", "--campaign", "replenishment"] + extra, input: Self.scores)
      #expect(result.status == 0, "\(result.standardError)")
      #expect(result.standardError.components(separatedBy: note).count == 2, "\(extra)")
      #expect(result.standardError.contains(advice), "\(extra): \(result.standardError)")
      #expect(result.standardError.contains("\"Which replenishment rule\""))
      #expect(result.standardOutput.hasPrefix("customer_id,"))
    }
    let ranked = try Fixtures.runCLV(
      [
        "target", "-", "--campaign", "replenishment", "--orders", orders, "--model",
        "models/bgnbd.json",
      ], input: Self.scores)
    #expect(ranked.status == 0, "\(ranked.standardError)")
    #expect(!ranked.standardError.contains("clv: note:"), "\(ranked.standardError)")
    // win-back has no such note.
    let winBack = try Fixtures.runCLV(
      ["target", "-", "--campaign", "win-back", "--orders", orders], input: Self.scores)
    #expect(winBack.status == 0, "\(winBack.standardError)")
    #expect(!winBack.standardError.contains("clv: note:"))
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
    let orders = try ordersPath()
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "win-back", "--orders", orders], input: Self.header + "\n")
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.split(separator: "\n").count == 1)
  }

  @Test func badHeaderIsAFileLineErrorWithExit65() throws {
    let orders = try ordersPath()
    let input = try write(Self.scores.replacingOccurrences(of: ",segment,", with: ",segmnt,"))
    let output = input.deletingLastPathComponent().appendingPathComponent("list.csv")
    let result = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "win-back", "--orders", orders, "-o", output.path])
    #expect(result.status == 65)
    #expect(
      result.standardError.hasPrefix(
        "clv: error: \(input.path):1: not a scores header: missing column(s) 'segment'"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func badFieldIsAFileLineErrorAndKeepsAnExistingOutput() throws {
    let orders = try ordersPath()
    let input = try write(Self.scores.replacingOccurrences(of: "departing-90", with: "gone"))
    let output = input.deletingLastPathComponent().appendingPathComponent("list.csv")
    try Data("old\n".utf8).write(to: output)
    let result = try Fixtures.runCLV(
      ["target", input.path, "--campaign", "win-back", "--orders", orders, "-o", output.path])
    #expect(result.status == 65)
    #expect(result.standardError.contains("\(input.path):4: column 'lifecycle_stage'"))
    #expect(try String(contentsOf: output, encoding: .utf8) == "old\n")
  }

  @Test func unknownDepartingStageNeedsDepartingDays() throws {
    let orders = try ordersPath()
    let input = try write(
      Self.scores.replacingOccurrences(of: "departing-90", with: "departing-60"))
    let failed = try Fixtures.runCLV([
      "target", input.path, "--campaign", "win-back", "--orders", orders,
    ])
    #expect(failed.status == 65)
    #expect(failed.standardError.contains("\(input.path):4: column 'lifecycle_stage'"))
    let ok = try Fixtures.runCLV(
      [
        "target", input.path, "--campaign", "win-back", "--orders", orders, "--departing-days",
        "60,180",
      ])
    #expect(ok.status == 0, "\(ok.standardError)")
    #expect(ok.standardOutput.contains("\n2,c,non-target,departing-60,"))
  }

  @Test func usageErrors() throws {
    let orders = try ordersPath()
    for arguments in [
      ["target", "-", "--campaign", "win-back", "--orders", orders, "--lead-days", "2"],
      ["target", "-", "--campaign", "replenishment", "--budget", "-1"],
      ["target", "-", "--campaign", "replenishment", "--as-of", "2024-13-01"],
      ["target", "-", "--campaign", "win-back", "--orders", orders, "--departing-days", "180,90"],
      ["target", "-", "--campaign", "upsell"],
      ["target", "-"],
      ["target", "-", "--campaign", "win-back"],
      ["target", "-", "--campaign", "win-back", "--orders", orders, "--window-days", "0"],
      ["target", "-", "--campaign", "replenishment", "--window-days", "30"],
      ["target", "-", "--campaign", "replenishment", "--orders", orders, "--window-days", "0"],
      ["target", "-", "--campaign", "win-back", "--orders", "-"],
      ["target", "-", "--campaign", "replenishment", "--model", "models/bgnbd.json"],
      [
        "target", "-", "--campaign", "replenishment", "--orders", orders, "--model",
        "models/bgnbd.json", "--within-days", "7",
      ],
      [
        "target", "-", "--campaign", "win-back", "--orders", orders, "--model",
        "models/bgnbd.json",
      ],
    ] {
      let result = try Fixtures.runCLV(arguments, input: Self.scores)
      #expect(result.status == 64, "\(arguments): \(result.standardError)")
    }
    let noOrders = try Fixtures.runCLV(["target", "-", "--campaign", "win-back"], input: "")
    #expect(noOrders.standardError.contains("--campaign win-back needs --orders FILE"))
  }

  @Test func asOfBeforeTheScoresIsAUsageError() throws {
    let result = try Fixtures.runCLV(
      ["target", "-", "--campaign", "replenishment", "--as-of", "2024-02-01"], input: Self.scores)
    #expect(result.status == 64)
    #expect(result.standardError.contains("before the as-of date of the scores, 2024-03-01"))
  }

  @Test func missingInputIsExit66() throws {
    let orders = try ordersPath()
    let result = try Fixtures.runCLV([
      "target", "/no/such/scores.csv", "--campaign", "win-back", "--orders", orders,
    ])
    #expect(result.status == 66)
    #expect(result.standardError.contains("/no/such/scores.csv: cannot read"))
  }

  @Test func helpShowsDefaults() throws {
    let result = try Fixtures.runCLV(["target", "--help"])
    #expect(result.status == 0)
    for text in [
      "default 14", "default 3", "default 90,180,360", "win-back", "replenishment", "default 500",
      "--orders", "(default 90 for win-back", "(default 4)", "within --window-days (default 30)",
      "--model",
    ] {
      #expect(result.standardOutput.contains(text), "\(text)")
    }
  }
}
