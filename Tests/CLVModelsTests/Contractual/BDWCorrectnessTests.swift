import CLVData
import CLVModels
import TestSupport
import Testing

/// The BdW against an independent implementation (`scripts/reference/contractual_sbg_bdw.py`).
/// [FHLDS2018] fits other data sets; its estimates on [FH2007]'s cohorts are not printed, so
/// the reference is the check here.
@Suite struct BDWCorrectnessTests {
  static let reference = "scripts/reference/contractual_sbg_bdw.py (mpmath, 40 digits)"

  @Test func estimatesOnTheFH2007CohortsMatchTheReference() throws {
    let cases: [([Int], [Double], Double)] = [
      (
        ContractualFixtures.regular,
        [0.45561398937163812, 0.77932550838795592, 1.2834512857832903], -1679.6028329071783
      ),
      (
        ContractualFixtures.highEnd,
        [0.21425333928084996, 1.4265748748600842, 1.7235648487445279], -1605.3142132141932
      ),
    ]
    for (alive, parameters, logLikelihood) in cases {
      let bdw = try BDW.fit(ContractualFixtures.calibration(alive), options: FitOptions())
      for (name, (value, expected)) in zip(BDW.parameterNames, zip(bdw.parameterValues, parameters))
      {
        assertClose(value, expected, relative: 1e-6, source: "\(name), " + Self.reference)
      }
      assertClose(
        try #require(bdw.fitReport).logLikelihood, logLikelihood, relative: 1e-10,
        source: Self.reference)
    }
  }

  @Test func valuesAtFixedParametersMatchTheReference() throws {
    let regular = try ContractualFixtures.calibration(ContractualFixtures.regular)
    let highEnd = try ContractualFixtures.calibration(ContractualFixtures.highEnd)
    let cases: [(BDW, [Double], [Double], [Double])] = [
      (
        BDW(gamma: 0.9, delta: 2.5, c: 0.7),
        [0.73529411764705882, 0.4245261205808447, 0.33958567858942082, 0.11333780306507685],
        [-1764.105789672132, -1659.6520635131935],
        [5.3059921897039966, 4.7365914086743963, 7.2519768157141812, 31.741280938238861]
      ),
      (
        BDW(gamma: 1.3, delta: 0.8, c: 1.6),
        [0.38095238095238095, 0.014878888737300279, 0.0050006684744302036, 6.2137871323639534e-5],
        [-2240.3892122651736, -3228.6447326427414],
        [1.6154911084608511, 0.67704021930693619, 2.1434966809614407, 3.1581431064219319]
      ),
    ]
    for (bdw, survival, logLikelihoods, lifetimes) in cases {
      for (t, expected) in zip([1, 7, 12, 100], survival) {
        assertClose(bdw.survival(t), expected, relative: 1e-8, source: "S(\(t)), " + Self.reference)
      }
      assertClose(
        bdw.logLikelihood(of: regular), logLikelihoods[0], relative: 1e-8, source: Self.reference)
      assertClose(
        bdw.logLikelihood(of: highEnd), logLikelihoods[1], relative: 1e-8, source: Self.reference)
      let computed = [
        try bdw.discountedExpectedLifetime(discountRate: 0.1),
        try bdw.discountedExpectedResidualLifetime(renewals: 0, discountRate: 0.1),
        try bdw.discountedExpectedResidualLifetime(renewals: 4, discountRate: 0.1),
        try bdw.discountedExpectedResidualLifetime(renewals: 4, discountRate: 0.01),
      ]
      for (value, expected) in zip(computed, lifetimes) {
        assertClose(value, expected, relative: 1e-8, source: "DEL/DERL, " + Self.reference)
      }
    }
  }
}
