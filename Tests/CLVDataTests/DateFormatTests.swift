import CLVData
import Testing

@Suite struct DateFormatTests {
  @Test func everyLayoutParsesTheSameDay() {
    let day = Day(year: 1997, month: 9, day: 30)!
    let texts: [DateFormat: String] = [
      .isoDate: "1997-09-30", .isoDateTime: "1997-09-30 23:59:59", .compact: "19970930",
      .slashedISO: "1997/09/30", .dayMonthYear: "30/09/1997", .monthDayYear: "09/30/1997",
      .dotted: "30.09.1997", .dayMonthNameYear: "30-Sep-1997", .monthNameDayYear: "Sep 30, 1997",
      // 1997-09-30T00:00:00Z and 23:59:59.999Z.
      .epoch: "875577600", .epochMilliseconds: "875663999999",
    ]
    for format in DateFormat.allCases {
      #expect(format.parse(texts[format]!) == day, "\(format)")
    }
    #expect(DateFormat.isoDateTime.parse("1997-09-30T08:15:00") == day)
  }

  @Test func impossibleOrMalformedDatesAreRejected() {
    #expect(DateFormat.isoDate.parse("1997-13-45") == nil)
    #expect(DateFormat.isoDate.parse("1997-02-29") == nil)
    #expect(DateFormat.isoDate.parse("1996-02-29") != nil)
    #expect(DateFormat.isoDate.parse("1997-9-30") == nil)
    #expect(DateFormat.isoDate.parse("1997/09/30") == nil)
    #expect(DateFormat.isoDate.parse("1997-09-30 8") == nil)
    #expect(DateFormat.isoDate.parse("1997-09-30 08:61") == nil)
    #expect(DateFormat.isoDate.parse("1997-09-30 13:00 PM") == nil)
    #expect(DateFormat.isoDate.parse("1997-09-30T08:00:00+25:00") == nil)
    #expect(DateFormat.isoDate.parse("1997-09-30T08:00:00 junk") == nil)
    #expect(DateFormat.monthDayYear.parse("9/30/97") == nil)
    #expect(DateFormat.monthDayYear.parse("123/1/1997") == nil)
    #expect(DateFormat.dayMonthNameYear.parse("30-Sop-1997") == nil)
    #expect(DateFormat.dayMonthNameYear.parse("30-Septembre-1997") == nil)
    #expect(DateFormat.epoch.parse("8.7e8") == nil)
    #expect(DateFormat.epochMilliseconds.parse("875577600.5") == nil)
    #expect(DateFormat.compact.parse("1997093") == nil)
    #expect(DateFormat.compact.parse("19970931") == nil)
    #expect(DateFormat.isoDateTime.parse("1997-09-30 24:00:00") == nil)
    #expect(DateFormat.dayMonthYear.parse("31/02/2020") == nil)
    #expect(DateFormat.isoDate.parse("") == nil)
  }

  private func detect(_ samples: [String]) -> DateFormat.Detection? {
    DateFormat.detect(from: samples.map { Array($0.utf8) })
  }

  @Test func detectionPicksTheOnlyFittingLayout() {
    #expect(detect(["2020-01-31", "2020-02-01"])?.format == .isoDate)
    #expect(detect(["20200131"])?.format == .compact)
    #expect(detect(["31.01.2020"])?.format == .dotted)
    #expect(detect(["2020-01-31 10:00:00"])?.format == .isoDate)
    #expect(detect(["12/1/2010 8:26", "12/13/2010 14:05"])?.format == .monthDayYear)
    #expect(detect(["01-Dec-2010", "1-Jan-2011"])?.format == .dayMonthNameYear)
    #expect(detect(["Dec 1, 2010", "January 15, 2011"])?.format == .monthNameDayYear)
    // Integers are not detected as epoch times (give --date-format epoch).
    #expect(detect(["1291192200"]) == nil)
    let dayFirst = detect(["01/02/2020", "25/12/2020"])
    #expect(dayFirst?.format == .dayMonthYear)
    #expect(dayFirst?.isAmbiguous == false)
    #expect(detect(["12/25/2020", "01/02/2020"])?.format == .monthDayYear)
  }

  @Test func detectionReportsAmbiguity() {
    // Every day-of-month ≤ 12: both slash layouts fit; month first is chosen (pandas' default).
    let detection = detect(["01/02/2020", "03/04/2020"])
    #expect(detection?.format == .monthDayYear)
    #expect(detection?.candidates == [.monthDayYear, .dayMonthYear])
    #expect(detection?.isAmbiguous == true)
    #expect(detection?.sampleCount == 2)
  }

  @Test func detectionFailsWithoutAFittingLayout() {
    #expect(detect(["yesterday"]) == nil)
    #expect(detect(["2020-01-31", "31.01.2020"]) == nil)
    #expect(detect([]) == nil)
  }

  @Test func autoDetectionInAFileSaysWhatItChose() throws {
    let summaries = try summarize("customer_id,date\n1,01/02/2020\n1,03/04/2020\n")
    #expect(summaries.report.dateDetection?.isAmbiguous == true)
    #expect(summaries.report.dateFormat == .monthDayYear)
    // Month first: 2020-01-02 to 2020-03-04 is 62 days.
    #expect(summaries.summary.rows[0].recency == 62.0 / 7)
  }

  /// Times of day as exports write them: the day is the date as written (offsets ignored).
  @Test func timesOfDayAreAcceptedAndDropped() {
    let day = Day(year: 2010, month: 12, day: 1)!
    let iso = [
      "2010-12-01 08:26", "2010-12-01 8:26", "2010-12-01T08:26:00", "2010-12-01 08:26:00.123456",
      "2010-12-01T08:26:00Z", "2010-12-01T08:26:00.5Z", "2010-12-01T23:30:00-05:00",
      "2010-12-01T00:30:00+0100", "2010-12-01 08:26:00 -0500", "2010-12-01 08:26:00 UTC",
      "2010-12-01T08:26:00+05", "2010-12-01 08:26:00,250",
    ]
    for text in iso { #expect(DateFormat.isoDate.parse(text) == day, "\(text)") }
    let others: [(DateFormat, String)] = [
      (.monthDayYear, "12/1/2010 8:26"), (.monthDayYear, "12/01/2010 08:26:00 PM"),
      (.monthDayYear, "12/1/2010 12:05 am"), (.dayMonthYear, "1/12/2010 23:59"),
      (.dotted, "1.12.2010 08:26"), (.slashedISO, "2010/12/1 08:26:00"),
      (.compact, "20101201 082600") /* no colon: rejected below */,
      (.dayMonthNameYear, "01-Dec-2010"), (.dayMonthNameYear, "1 December 2010 10:00"),
      (.dayMonthNameYear, "01/dec/2010"), (.monthNameDayYear, "Dec 1, 2010"),
      (.monthNameDayYear, "December 01 2010 08:26"), (.monthNameDayYear, "Sept 30, 2010"),
    ]
    for (format, text) in others where text != "20101201 082600" {
      let expected = text.hasPrefix("Sept") ? Day(year: 2010, month: 9, day: 30) : day
      #expect(format.parse(text) == expected, "\(format): \(text)")
    }
    #expect(DateFormat.compact.parse("20101201 082600") == nil)
    #expect(DateFormat.compact.parse("20101201 08:26") == day)
  }

  /// Unix times: the UTC day, floor for times before 1970.
  @Test func epochTimesAreUTCDays() {
    // 1291192200 = 2010-12-01T08:30:00Z (date -u -d @1291192200).
    #expect(DateFormat.epoch.parse("1291192200") == Day(year: 2010, month: 12, day: 1))
    #expect(DateFormat.epoch.parse("1291192200.75") == Day(year: 2010, month: 12, day: 1))
    #expect(
      DateFormat.epochMilliseconds.parse("1291192200000") == Day(year: 2010, month: 12, day: 1))
    #expect(DateFormat.epoch.parse("0") == Day(year: 1970, month: 1, day: 1))
    #expect(DateFormat.epoch.parse("-1") == Day(year: 1969, month: 12, day: 31))
    #expect(DateFormat.epoch.parse("-86400") == Day(year: 1969, month: 12, day: 31))
    #expect(DateFormat.epochMilliseconds.parse("-1") == Day(year: 1969, month: 12, day: 31))
  }

  /// Day-first dates whose first 1,000 rows all have days ≤ 12: a later row decides, as far as
  /// the read buffer reaches.
  @Test func aDayAbove12AfterTheFirstThousandRowsDecides() throws {
    var text = "customer_id,date\n"
    for i in 0..<1500 { text += "c\(i),0\(1 + i % 9)/01/2020\n" }
    text += "z,25/01/2020\n"
    let summaries = try summarize(text)
    #expect(summaries.report.dateFormat == .dayMonthYear)
    #expect(summaries.report.dateDetection?.isAmbiguous == false)
  }

  /// When nothing decides, a later row that only fits the other order is a located error that
  /// names the option to use.
  @Test func anAssumedMonthFirstLayoutNamesTheOptionOnAMisfit() throws {
    var text = "customer_id,date\n"
    for i in 0..<1000 { text += "c\(i),01/0\(1 + i % 9)/2020\n" }
    let path = try temporaryFile(
      text + String(repeating: "x,01/01/2020\n", count: 100_000)
        + "y,25/01/2020\n")
    #expect {
      _ = try CustomerSummaries.read(path: path, format: OrderLogFormat(), period: SummaryPeriod())
    } throws: { error in
      let message = "\(error)"
      return message.contains(":101002: column 'date': cannot parse '25/01/2020'")
        && message.contains("use --date-format dd/MM/yyyy")
    }
  }
}
