import CLVData
import CLVModels
import TestSupport
import Testing

/// (M)BG/CNBD-k against the independent computation of `scripts/reference/cnbd_k.py` (the
/// likelihood written from [PR2016] in numpy; predictions by scipy quadrature over the rate,
/// relative tolerance 1e-13), on the CDNOW calibration period built from the raw sample log.
/// Tolerances: log-likelihoods relative 1e-11 (both sides sum the same 2,357 doubles in
/// another order), predictions relative 1e-8 (the quadrature's accuracy).
@Suite struct ErlangBetaGeometricCorrectnessTests {
  static let source = "scripts/reference/cnbd_k.py"

  @Test func cdnowLittMatchesTheReference() throws {
    let summaries = try CNBDkFixtures.cdnowWithLitt()
    let litt = try #require(summaries.summary.logInterPurchaseTimes)
    #expect(summaries.count == 2357)
    #expect(summaries.summary.rows.reduce(0) { $0 + $1.frequency } == 2457)
    assertClose(litt.reduce(0, +), 2909.50466858973, relative: 1e-12, source: Self.source)
  }

  /// cnbd_k.py section 2: total log-likelihoods at fixed parameters.
  @Test(arguments: [
    (1, -9582.9184633781, -9632.48401652558), (2, -9884.50082275797, -9979.04548040021),
    (3, -10447.112488113, -10521.5495645199), (6, -12602.6590592925, -12589.062512944),
  ])
  func totalLogLikelihoodAtFixedParameters(k: Int, bg: Double, mbg: Double) throws {
    let summary = try CNBDkFixtures.cdnowWithLitt().summary
    let source = "\(Self.source) section 2, k = \(k)"
    assertClose(
      CNBDkFixtures.total(CNBDkFixtures.model(k, BGCNBDkVariant.self), summary), bg,
      relative: 1e-11, source: source)
    assertClose(
      CNBDkFixtures.total(CNBDkFixtures.model(k, MBGCNBDkVariant.self), summary), mbg,
      relative: 1e-11, source: source)
  }

  /// cnbd_k.py section 4: P(alive), E[Y(39)], P(no purchase in 39), E[wait | alive] (nil: K ≤ 1).
  @Test(
    arguments: [
      // (variant is MBG, k, x, tₓ, T, P(alive), E[Y], P(none), wait)
      (
        false, 1, 2, 30.43, 38.86, 0.722968207983125, 1.22107381230291, 0.447302237490517,
        34.6079999336499
      ),
      (false, 1, 0, 0.0, 38.86, 1, 0.200333004482204, 0.851578037854284, .nan),
      (
        false, 1, 7, 35.0, 38.0, 0.860488329896907, 4.54254289704943, 0.147117042945526,
        6.78399999999977
      ),
      (
        false, 3, 2, 30.43, 38.86, 0.764754912944453, 1.55984830982073, 0.277487038289821,
        13.6338196039247
      ),
      (false, 3, 0, 0.0, 38.86, 1, 0.209098035189663, 0.823293400501539, .nan),
      (
        false, 3, 7, 35.0, 38.0, 0.894435370499924, 5.36772271373084, 0.105572623784682,
        3.5770354667602
      ),
      (
        true, 1, 2, 30.43, 38.86, 0.77154611790758, 1.33733259736927, 0.410165193529021,
        34.6079999336499
      ),
      (true, 1, 0, 0.0, 38.86, 0.628831294812452, 0.12922766363747, 0.906667625365305, .nan),
      (
        true, 1, 7, 35.0, 38.0, 0.873451810842136, 4.69210375658775, 0.134268138924235,
        6.78399999999977
      ),
      (
        true, 3, 2, 30.43, 38.86, 0.812541512665248, 1.69627437128156, 0.232339975995841,
        13.6338196039247
      ),
      (true, 3, 0, 0.0, 38.86, 0.609953619476731, 0.129578987391561, 0.892217170050488, .nan),
      (
        true, 3, 7, 35.0, 38.0, 0.905051079599543, 5.52342133170363, 0.0949570095661494,
        3.5770354667602
      ),
    ] as [(Bool, Int, Int, Double, Double, Double, Double, Double, Double)])
  func conditionalPredictions(
    _ c: (Bool, Int, Int, Double, Double, Double, Double, Double, Double)
  ) {
    let row = RFMSummary.Row(customerID: "c", frequency: c.2, recency: c.3, age: c.4)
    let model: any TransactionModel =
      c.0
      ? CNBDkFixtures.model(c.1, MBGCNBDkVariant.self)
      : CNBDkFixtures.model(c.1, BGCNBDkVariant.self)
    let source = "\(Self.source) section 4, \(model.parameterValues), customer \((c.2, c.3, c.4))"
    assertClose(model.probabilityAlive(for: row), c.5, relative: 1e-8, source: source)
    assertClose(model.expectedPurchases(in: 39, for: row), c.6, relative: 1e-8, source: source)
    assertClose(
      model.probabilityOfNoPurchase(in: 39, for: row), c.7, relative: 1e-8, source: source)
    if c.8.isNaN {
      #expect(model.expectedTimeToNextPurchase(for: row) == nil)
    } else {
      assertClose(
        model.expectedTimeToNextPurchase(for: row) ?? .nan, c.8, relative: 1e-8, source: source)
    }
  }

  /// cnbd_k.py section 4: E[X(39)] and P(X(39) = 0 … 3) of a new customer.
  @Test(
    arguments: [
      (
        false, 1, 1.22243277900411,
        [0.56427490555097, 0.204006394507222, 0.0873635281223927, 0.0468596207869802]
      ),
      (
        false, 3, 1.31120657045175,
        [0.546793182955373, 0.207719897279938, 0.0903179925451735, 0.0490825652248275]
      ),
      (
        true, 1, 1.00950426661474,
        [0.673206179163228, 0.139212016121976, 0.0654351208675994, 0.0372312039157219]
      ),
      (
        true, 3, 1.08520858215259,
        [0.664291246633609, 0.136665304908535, 0.0669847869944386, 0.0390004491873754]
      ),
    ] as [(Bool, Int, Double, [Double])])
  func unconditionalPredictions(_ c: (Bool, Int, Double, [Double])) {
    let model: any TransactionModel =
      c.0
      ? CNBDkFixtures.model(c.1, MBGCNBDkVariant.self)
      : CNBDkFixtures.model(c.1, BGCNBDkVariant.self)
    let source = "\(Self.source) section 4, \(model.parameterValues)"
    assertClose(model.expectedPurchases(in: 39), c.2, relative: 1e-8, source: source)
    for (n, expected) in c.3.enumerated() {
      assertClose(
        model.probabilityOfPurchases(n, in: 39), expected, relative: 1e-8,
        source: "\(source), n = \(n)")
    }
  }

  /// cnbd_k.py section 3 (scipy L-BFGS-B + Nelder-Mead for k = 1 … 6): the profile
  /// log-likelihood of the fit over k on CDNOW, absolute 1e-5 (both optimizers' stopping
  /// rules), and k = 1 chosen with the BG/NBD (MBG/NBD) estimates, relative 1e-4.
  @Test func fitOnCDNOWMatchesTheReferenceProfile() throws {
    let summary = try CNBDkFixtures.cdnowWithLitt().summary
    let bg = try BGCNBDk.fit(summary)
    let mbg = try MBGCNBDk.fit(summary)
    let bgProfile = [
      -9582.4292066739, -9855.3269740933, -10393.5650537827, -11030.1915875554, -11718.2460635381,
      -12437.9519964958,
    ]
    let mbgProfile = [
      -9582.1357155537, -9853.2531285157, -10394.3626516248, -11033.9408875562, -11724.4976890517,
      -12446.2740410818,
    ]
    let source = "\(Self.source) --fit, section 3"
    for (k, expected) in bgProfile.enumerated() {
      assertClose(
        bg.profile?.logLikelihoods[k] ?? .nan, expected, absolute: 1e-5,
        source: "\(source) BG k=\(k + 1)")
    }
    for (k, expected) in mbgProfile.enumerated() {
      assertClose(
        mbg.profile?.logLikelihoods[k] ?? .nan, expected, absolute: 1e-5,
        source: "\(source) MBG k=\(k + 1)")
    }
    #expect(bg.k == 1 && mbg.k == 1)
    for (value, expected) in zip(
      bg.parameterValues.dropFirst(), [0.2425945233, 4.413601907, 0.7929219601, 2.425906674])
    {
      assertClose(value, expected, relative: 1e-4, source: source)
    }
    for (value, expected) in zip(
      mbg.parameterValues.dropFirst(), [0.5248432191, 6.183085717, 0.891359312, 1.61400183])
    {
      assertClose(value, expected, relative: 1e-4, source: source)
    }
  }

  /// cnbd_k.py section 5: the Wheat–Morrison statistic of the CDNOW calibration period (k̂ ≈
  /// 1.05: CDNOW's timing is close to memoryless, as the BG/NBD literature assumes).
  @Test func wheatMorrisonOnCDNOW() throws {
    let regularity = try #require(try CNBDkFixtures.cdnowWithLitt().regularity)
    #expect(regularity.customers == 507)
    assertClose(
      regularity.meanSquaredDeviation, 0.080725264951878484, relative: 1e-12,
      source: "\(Self.source) section 5")
    assertClose(
      regularity.regularity ?? .nan, 1.0484619353620497, relative: 1e-12,
      source: "\(Self.source) section 5")
  }
}
