import CLVData
import Testing

/// Amounts as exports write them, read with each decimal mark; values written by hand from the
/// text (exact: every expected value is the double nearest the decimal written).
@Suite struct AmountParsingCorrectnessTests {
  @Test func decimalPointAmounts() {
    let cases: [(String, Double)] = [
      ("12.50", 12.5), ("1,234.56", 1234.56), ("$1,234.56", 1234.56), ("-$12.00", -12),
      ("$-12.00", -12), ("(12.00)", -12), ("($1,234.00)", -1234), ("12.00-", -12),
      ("1 234.56", 1234.56), ("1\u{00A0}234.56", 1234.56), ("1\u{202F}234.56", 1234.56),
      ("1'234.56", 1234.56), ("12.00 USD", 12), ("USD 12.00", 12), ("US$5", 5), ("£3.20", 3.2),
      ("1,234,567", 1_234_567), ("1,234", 1234), ("1e3", 1000), ("+7", 7), ("¥1,000", 1000),
    ]
    for (text, value) in cases {
      #expect(DecimalMark.point.amount(text) == value, "\(text)")
    }
  }

  @Test func decimalCommaAmounts() {
    let cases: [(String, Double)] = [
      ("12,50", 12.5), ("1.234,56", 1234.56), ("€12,50", 12.5), ("12,50 €", 12.5),
      ("1 234,56", 1234.56), ("1\u{00A0}234,56", 1234.56), ("-1.234,56", -1234.56),
      ("(12,00)", -12), ("12,00-", -12), ("1.234", 1234), ("7", 7), ("R$ 10,90", 10.9),
      ("EUR 3,5", 3.5),
    ]
    for (text, value) in cases {
      #expect(DecimalMark.comma.amount(text) == value, "\(text)")
    }
  }

  /// What would be a silently wrong number under the other mark is not a number.
  @Test func misplacedMarksAndJunkAreNotNumbers() {
    for text in ["12,50", "€12,50", "1,23", "1,2345", "12,5.0", "1,23,456.00", "", "abc", "12abc"] {
      #expect(DecimalMark.point.amount(text) == nil, "\(text)")
    }
    for text in ["3.75", "1.23,5", "1,234,5", "12.5", "(12,00", "--1", "nan", "12 34"] {
      #expect(DecimalMark.comma.amount(text) == nil, "\(text)")
    }
    #expect(DecimalMark.point.amount("(-12)") == nil)
    #expect(DecimalMark.point.amount("-12-") == nil)
  }

  private func detect(_ samples: [String], delimiter: Delimiter = .comma) -> DecimalMark.Detection?
  {
    var conflict: (String, String)? = nil
    return DecimalMark.detect(
      from: samples.map { Array($0.utf8) }, delimiter: delimiter, conflict: &conflict)
  }

  @Test func detectionFollowsTheEvidence() {
    #expect(detect(["12,50", "3"])?.mark == .comma)
    #expect(detect(["12,50", "3"])?.evidence == "12,50")
    #expect(detect(["1.234,56"])?.mark == .comma)
    #expect(detect(["1.234.567"])?.mark == .comma)
    #expect(detect(["0,125"])?.mark == .comma)
    #expect(detect(["$1,234.56"])?.mark == .point)
    #expect(detect(["1,234,567"])?.mark == .point)
    #expect(detect(["3.5", "1,234"])?.mark == .point)
    #expect(detect(["0.125"])?.mark == .point)
  }

  @Test func undecidedSamplesSayWhatWasAssumed() {
    let plain = detect(["1,234", "17"])
    #expect(plain?.mark == .point)
    #expect(plain?.evidence == nil)
    #expect(plain?.ambiguousExample == "1,234")
    // Spreadsheets in decimal-comma locales write ';'-separated files.
    let semicolon = detect(["1.234", "17"], delimiter: .character(59))
    #expect(semicolon?.mark == .comma)
    #expect(semicolon?.ambiguousExample == "1.234")
    #expect(detect(["17", "4"])?.ambiguousExample == nil)
  }

  @Test func contradictorySamplesAreAConflict() {
    var conflict: (String, String)? = nil
    let detection = DecimalMark.detect(
      from: ["3.5", "12,50"].map { Array($0.utf8) }, delimiter: .comma, conflict: &conflict)
    #expect(detection == nil)
    #expect(conflict?.0 == "3.5")
    #expect(conflict?.1 == "12,50")
  }
}
