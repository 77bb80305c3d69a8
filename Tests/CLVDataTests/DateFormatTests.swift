import CLVData
import Testing

@Suite struct DateFormatTests {
  @Test func everyLayoutParsesTheSameDay() {
    let day = Day(year: 1997, month: 9, day: 30)!
    let texts: [DateFormat: String] = [
      .isoDate: "1997-09-30", .isoDateTime: "1997-09-30 23:59:59", .compact: "19970930",
      .dayMonthYear: "30/09/1997", .monthDayYear: "09/30/1997", .dotted: "30.09.1997",
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
    #expect(detect(["2020-01-31 10:00:00"])?.format == .isoDateTime)
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
}
