import CLVData
import Testing

@Suite struct DayTests {
  @Test func epochAndKnownDays() {
    #expect(Day(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
    // 1997-09-30 − 1997-01-01 = 272 days (CDNOW calibration end; FHL2005a).
    #expect(Day(year: 1997, month: 9, day: 30)! - Day(year: 1997, month: 1, day: 1)! == 272)
    #expect(Day(year: 2000, month: 2, day: 29) != nil)
    #expect(Day(year: 1900, month: 2, day: 29) == nil)
    #expect(Day(year: 1997, month: 13, day: 1) == nil)
  }

  @Test func roundTripsThroughText() {
    for offset in stride(from: -719_000, through: 2_900_000, by: 997) {  // years 0001 … 9909
      let day = Day(daysSinceEpoch: offset)
      #expect(Day(iso: day.description) == day)
    }
    #expect(Day(iso: "1997-01-05")?.monthString == "1997-01")
    #expect(Day(iso: "1997-1-5") == nil)
  }
}
