import CLVData
import CLVModels
import TestSupport
import Testing

/// The model's time unit (``ModelUnit``) is the one place customer times change unit.
@Suite struct ModelUnitConsistencyTests {
  static let rows = [
    RFMSummary.Row(customerID: "a", frequency: 2, recency: 30, age: 70, monetaryValue: 5),
    RFMSummary.Row(customerID: "b", frequency: 0, recency: 0, age: 12.5, monetaryValue: 0),
  ]

  /// Prose names the unit in the plural as English does (the report's subtitle read
  /// "in opportunitys" for subscriber runs).
  @Test func pluralNamesAreEnglish() {
    #expect(ModelUnit.day.pluralName == "days")
    #expect(ModelUnit.week.pluralName == "weeks")
    #expect(ModelUnit.month.pluralName == "months")
    #expect(ModelUnit.opportunity.pluralName == "opportunities")
  }

  /// Converting days to a unit and back gives the times again (to rounding: the factors are
  /// 1/7 and 12/365.25), and only recency and T change.
  @Test(arguments: TimeUnit.allCases)
  func convertingThereAndBackKeepsTheTimes(unit: TimeUnit) {
    let there = ModelUnit.time(unit).rows(Self.rows, from: .day)
    let back = ModelUnit.time(.day).rows(there, from: unit)
    for (original, converted) in zip(Self.rows, there) {
      #expect(converted.customerID == original.customerID)
      #expect(converted.frequency == original.frequency)
      #expect(converted.monetaryValue == original.monetaryValue)
      assertClose(
        converted.age, original.age / unit.days, relative: 1e-15,
        source: "days / days per unit")
    }
    for (original, again) in zip(Self.rows, back) {
      assertClose(again.recency, original.recency, absolute: 1e-12, source: "round trip")
      assertClose(again.age, original.age, absolute: 1e-12, source: "round trip")
    }
  }

  /// A conversion is named only between two different calendar units; opportunities are never
  /// converted.
  @Test func conversionsAreNamedOnlyBetweenDifferentCalendarUnits() throws {
    let conversion = try #require(ModelUnit.time(.week).conversion(from: .day))
    #expect(conversion.from == .day && conversion.to == .week)
    #expect(ModelUnit.time(.week).conversion(from: .week) == nil)
    #expect(ModelUnit.opportunity.conversion(from: .day) == nil)
    #expect(ModelUnit.opportunity.rows(Self.rows, from: .month) == Self.rows)
  }
}
