import CLVData
import CLVModels
import TestSupport
import Testing

/// CLV against lifetimes 0.11.3 `GammaGammaFitter.customer_lifetime_value(bgf, …, time=12,
/// discount_rate=0.01, freq="M")` (one period = one model unit; `lifetimes_models.py`,
/// line `clv.first10`), with BG/NBD and Gamma-Gamma fitted on lifetimes' CDNOW summary
/// (z̄ rounded to cents).
@Suite struct CustomerValueCorrectnessTests {
  @Test func matchesLifetimesPerPeriodSum() throws {
    var summary = try ReferenceData.cdnowCalibrationWithSpend()
    for i in summary.rows.indices {
      summary.rows[i].monetaryValue = (summary.rows[i].monetaryValue * 100).rounded() / 100
      // The summary file's recency and T are rounded to 2 decimals.
      summary.rows[i].recency = (summary.rows[i].recency * 100).rounded() / 100
      summary.rows[i].age = (summary.rows[i].age * 100).rounded() / 100
    }
    let bgnbd = try BGNBD.fit(try ReferenceData.cdnowSummary())
    let spend = try GammaGamma.fit(summary)
    let expected = [
      9.819818592, 1.229528398, 2.134045668, 2.134045668, 2.134045668, 79.76326579, 1.824462888,
      2.134045668, 11.73491058, 2.134045668,
    ]
    for (i, row) in summary.rows.prefix(10).enumerated() {
      let clv = CustomerValue.discountedValue(
        transactions: bgnbd, spend: spend, customer: row, horizon: 12, discountRate: 0.01)
      assertClose(
        clv, expected[i], relative: 1e-4,
        source: "lifetimes 0.11.3: customer_lifetime_value(time=12, discount_rate=0.01, freq='M')")
    }
  }
}
