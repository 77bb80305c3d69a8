import CLVData
import TestSupport
import Testing

/// `--horizon` text: unit suffixes, conversion to the model's unit, and the bare number that is
/// refused when the data and model units differ (issue 11 part 7).
struct HorizonInputTests {
  @Test(
    arguments: [
      ("52", 52.0, nil), ("52w", 52, .week), ("12m", 12, .month), ("365d", 365, .day),
      ("1y", 1, .year), ("1.5Y", 1.5, .year), (" 13w ", 13, .week), ("0", 0, nil),
    ] as [(String, Double, Horizon.Suffix?)])
  func parses(text: String, amount: Double, suffix: Horizon.Suffix?) throws {
    let horizon = try #require(Horizon(text))
    #expect(horizon.amount == amount)
    #expect(horizon.suffix == suffix)
  }

  @Test(arguments: ["", "w", "52x", "-1w", "1e3", "inf", "nan", "52 w w", "5,2w", "52ww"])
  func rejects(text: String) {
    #expect(Horizon(text) == nil, "'\(text)'")
  }

  /// Lengths through days: a week 7 days, a month 365.25/12, a year 365.25 (`TimeUnit`).
  @Test func convertsToTheModelUnit() throws {
    func length(_ text: String, _ model: TimeUnit) throws -> Double {
      try #require(Horizon(text)).length(in: model, dataUnit: model)
    }
    #expect(try length("52w", .week) == 52)
    #expect(try length("12m", .month) == 12)
    #expect(try length("365d", .day) == 365)
    assertClose(try length("1y", .week), 365.25 / 7, relative: 1e-15, source: "definition")
    assertClose(try length("52w", .month), 52 * 7 / (365.25 / 12), relative: 1e-15, source: "def")
    assertClose(try length("12m", .week), 365.25 / 7, relative: 1e-15, source: "definition")
    assertClose(try length("1y", .month), 12, relative: 1e-15, source: "definition")
    assertClose(try length("365d", .week), 365.0 / 7, relative: 1e-15, source: "definition")
    // A bare number is the model's unit when the data share it.
    #expect(try Horizon("52")!.length(in: .month, dataUnit: .month) == 52)
    // BG/BB counts opportunities: a bare number only.
    #expect(try Horizon("6")!.length(in: nil, dataUnit: nil) == 6)
  }

  @Test func bareNumberWithDifferentUnitsAsksForASuffix() throws {
    let horizon = try #require(Horizon("52"))
    #expect(
      throws: HorizonError.bareNumberWithUnitsDiffering(
        horizon: horizon, dataUnit: .week, modelUnit: .month)
    ) {
      try horizon.length(in: .month, dataUnit: .week)
    }
    let message = HorizonError.bareNumberWithUnitsDiffering(
      horizon: horizon, dataUnit: .week, modelUnit: .month
    ).description
    #expect(message.contains("weeks") && message.contains("months") && message.contains("52w"))
    #expect(throws: HorizonError.suffixWithoutTimeUnit(horizon: Horizon("6w")!)) {
      try Horizon("6w")!.length(in: nil, dataUnit: nil)
    }
  }
}
