import CLVScoring
import Testing

/// Malformed score tables for `clv cohorts --scores`: one line naming file, line and column.
@Suite struct CohortEconomicsInputTests {
  @Test func malformedScoresNameLineAndColumn() {
    let header = "customer_id,clv,cac,first_order_profit,margin_to_date,clv_to_cac,payback_days"
    let cases: [(String, String)] = [
      (
        "customer_id,clv\na,3\n",
        "s.csv:1: not a score table with CAC columns: missing column(s) 'cac'"
      ),
      (header + "\na,3,-1,1,1,,\n", "s.csv:2: column 'cac': cannot parse '-1' as a number ≥ 0"),
      (header + "\na,,5,1,1,,\n", "s.csv:2: column 'clv'"),
      (header + "\na,3,5,1,1,,x\n", "s.csv:2: column 'payback_days'"),
      (header + "\na,3,5,1,1,,\na,3,5,1,1,,\n", "s.csv:3: customer 'a' repeats line 2"),
      (header + "\na,3,,1,1,,\n", "s.csv: no customer with a CAC"),
    ]
    for (text, message) in cases {
      #expect {
        try AcquisitionEconomics.parseScored(csv: text, file: "s.csv")
      } throws: { "\($0)".contains(message) }
    }
  }
}
