import CLVData
import CLVModels
import TestSupport
import Testing

/// The NBD (no dropout) on the CDNOW calibration summary against an independent fit.
///
/// Reference: `scripts/reference/nbd_cdnow.py` (scipy L-BFGS-B on the log parameters, refined
/// by Newton's method in mpmath at 40 digits on the analytic gradient and Hessian; gradient
/// norm 6e-38 at the optimum): r = 0.384767674051841, α = 12.0720849909709,
/// log L = −9763.66022223277, SE(r) = 0.0209854879, SE(α) = 0.8087273424. No published value
/// with more than three digits exists for this likelihood ([FH2004-NBD] fits the same data in
/// Excel). Tolerances: parameters relative 1e-5 (the L-BFGS stopping rule of the shared
/// estimator), log-likelihood absolute 1e-6, standard errors relative 1e-3 (central
/// differences of the analytic gradient).
@Suite struct NBDCorrectnessTests {
  let summary: RFMSummary
  let model: NBD

  init() throws {
    summary = try ReferenceData.cdnowSummary()
    model = try NBD.fit(summary)
  }

  @Test func matchesTheIndependentFit() throws {
    let source = "scripts/reference/nbd_cdnow.py (scipy + mpmath Newton)"
    assertClose(model.r, 0.384767674051841, relative: 1e-5, source: source)
    assertClose(model.alpha, 12.0720849909709, relative: 1e-5, source: source)
    let report = try #require(model.fitReport)
    assertClose(report.logLikelihood, -9763.66022223277, absolute: 1e-6, source: source)
    let errors = try #require(report.standardErrors)
    assertClose(errors[0], 0.0209854879, relative: 1e-3, source: source)
    assertClose(errors[1], 0.8087273424, relative: 1e-3, source: source)
    #expect(report.customers == 2357)
    #expect(report.converged && !report.degenerate)
  }

  /// The dropout models nest the NBD's fit: BG/NBD's log-likelihood on the same data is
  /// higher ([FHL2005a]: −9582.4).
  @Test func bgnbdFitsCDNOWBetter() throws {
    let bgnbd = try BGNBD.fit(summary)
    #expect(try #require(bgnbd.fitReport).logLikelihood > model.fitReport!.logLikelihood)
  }

  @Test func predictionsOfTheReferenceCustomer() {
    // Customer 1 of CDNOW: (x, tₓ, T) = (2, 30.43, 38.86), horizon 39 weeks.
    let row = RFMSummary.Row(customerID: "1", frequency: 2, recency: 30.43, age: 38.86)
    let source = "scripts/reference/nbd_cdnow.py at its own estimate"
    let reference = NBD(r: 0.384767674051841, alpha: 12.0720849909709)
    assertClose(
      reference.expectedPurchases(in: 39, for: row), 1.82607759538039, relative: 1e-12,
      source: source)
    assertClose(
      reference.probabilityOfNoPurchase(in: 39, for: row), 0.257718454145236, relative: 1e-12,
      source: source)
    #expect(reference.probabilityAlive(for: row) == 1)
  }
}
