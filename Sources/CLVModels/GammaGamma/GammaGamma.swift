import CLVData
import CLVNumerics

/// The Gamma-Gamma model of average spend per purchase.
///
/// Each purchase of a customer has value z ~ gamma(p, ν) (shape p, rate ν), and ν ~ gamma(q, γ)
/// across customers; spend is independent of the purchase process. Fitted on repeat buyers:
/// x = number of repeat purchases, z̄ = their mean value (`RFMSummary.Row.monetaryValue`).
/// γ has the unit of money; p and q are unitless.
///
/// - Source: [FHL2005b] section 4; [FH2013] (likelihood eq. 1a, conditional mean eq. 5).
public struct GammaGamma: SpendModel, ModelFileConvertible, ParametricModel {
  public static let modelName = "Gamma-Gamma"
  public static let modelID = "gamma-gamma"
  public static let parameterNames = ["p", "q", "gamma"]

  public var p: Double
  public var q: Double
  public var gamma: Double
  public var fitReport: FitReport?

  public init(p: Double, q: Double, gamma: Double, fitReport: FitReport? = nil) {
    self.p = p
    self.q = q
    self.gamma = gamma
    self.fitReport = fitReport
  }

  public init(parameters: [Double], fitReport: FitReport?) {
    precondition(parameters.count == 3, "Gamma-Gamma has 3 parameters")
    self.init(p: parameters[0], q: parameters[1], gamma: parameters[2], fitReport: fitReport)
  }

  public var parameterNames: [String] { Self.parameterNames }
  public var parameterValues: [Double] { [p, q, gamma] }

  /// Repeat buyers (x, z̄) collapsed to distinct pairs with weights.
  public struct Data: Sendable {
    public var frequencies: [Double] = []
    public var averageSpend: [Double] = []
    public var weights: [Double] = []
    public var customers = 0.0
    /// Customers left out: no repeat purchase, or a mean spend that is not positive.
    public var dropped = 0
    /// Per distinct x: the value, Σ w and Σ w log z̄ over its rows (the likelihood's terms in x
    /// alone are evaluated once per distinct x); per row its group.
    var groupX: [Double] = []
    var groupWeight: [Double] = []
    var groupWeightedLogSpend: [Double] = []
    var rowGroup: [Int32] = []

    mutating func buildGroups() {
      var index = IndexTable<UInt64>(expected: 256)
      groupX = []
      groupWeight = []
      groupWeightedLogSpend = []
      rowGroup = []
      rowGroup.reserveCapacity(weights.count)
      for i in 0..<weights.count {
        let (g, inserted) = index.index(of: frequencies[i].bitPattern)
        if inserted {
          groupX.append(frequencies[i])
          groupWeight.append(0)
          groupWeightedLogSpend.append(0)
        }
        groupWeight[Int(g)] += weights[i]
        groupWeightedLogSpend[Int(g)] += weights[i] * Double.log(averageSpend[i])
        rowGroup.append(g)
      }
    }

    /// Every k-th row with weights rescaled to the same total (screening starts), or nil.
    func subsample(maximumRows: Int) -> Data? {
      guard weights.count > maximumRows, maximumRows > 0 else { return nil }
      let k = (weights.count + maximumRows - 1) / maximumRows
      var copy = self
      copy.frequencies = stride(from: 0, to: weights.count, by: k).map { frequencies[$0] }
      copy.averageSpend = stride(from: 0, to: weights.count, by: k).map { averageSpend[$0] }
      let picked = stride(from: 0, to: weights.count, by: k).map { weights[$0] }
      let scale = customers / picked.reduce(0, +)
      copy.weights = picked.map { $0 * scale }
      copy.buildGroups()
      return copy
    }

    /// Whether a customer enters the fit: a repeat buyer (x > 0) with a positive, finite mean
    /// spend z̄.
    public static func isUsable(_ row: RFMSummary.Row) -> Bool {
      row.frequency > 0 && row.monetaryValue > 0 && row.monetaryValue.isFinite
    }

    /// Keeps customers with x > 0 and z̄ > 0 (finite); counts the others in `dropped`.
    public init(_ rows: [RFMSummary.Row], weights: [Double]? = nil) {
      var index = IndexTable<PairKey>(expected: rows.count / 4)
      // Fields are read through the buffer: no row (and its customer ID) is copied.
      rows.withUnsafeBufferPointer { rows in
        for i in 0..<rows.count {
          let w = weights?[i] ?? 1
          let x = rows[i].frequency, m = rows[i].monetaryValue
          guard x > 0, m > 0, m.isFinite, w > 0, w.isFinite else {
            // A non-finite or negative weight counts as no customer (readers reject such
            // weights; this only keeps the count from trapping).
            if w.isFinite, w > 0 { dropped += Int(w.rounded()) }
            continue
          }
          let (j, inserted) = index.index(
            of: PairKey(first: UInt64(bitPattern: Int64(x)), second: m.bitPattern))
          if inserted {
            frequencies.append(Double(x))
            averageSpend.append(m)
            self.weights.append(w)
          } else {
            self.weights[Int(j)] += w
          }
          customers += w
        }
      }
      buildGroups()
    }
  }

  // MARK: Fitting

  /// Fits the model on the repeat buyers with positive mean spend of `summary`; the others are
  /// counted in `FitReport.dropped`.
  ///
  /// - Throws: ``ModelError/unusableData(model:reason:)`` when fewer than 2 customers remain;
  ///   the errors of ``MaximumLikelihood/fit(_:starts:options:)``.
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> GammaGamma {
    try fit(Data(summary.rows, weights: weights), options: options)
  }

  public static func fit(_ data: Data, options: FitOptions = FitOptions()) throws -> GammaGamma {
    guard data.customers >= 2 else {
      throw ModelError.unusableData(
        model: modelName,
        reason: "needs repeat buyers with positive monetary value; found \(Int(data.customers))"
          + " (\(data.dropped) customers dropped)")
    }
    let problem = MaximumLikelihood.Problem(
      modelName: modelName, parameterNames: parameterNames, customers: data.customers,
      distinctRows: data.weights.count
    ) { theta, gradient in
      logLikelihood(theta, data: data, gradient: &gradient)
    }
    var mean = 0.0
    for i in 0..<data.weights.count { mean += data.weights[i] * data.averageSpend[i] }
    mean /= data.customers
    let e01 = Double.exp(0.1)
    let starts = [[e01, e01, e01], [1, 3, 2 * mean], [5, 4, 0.6 * mean]]
    let screening = data.subsample(maximumRows: screeningRows).map { sample in
      MaximumLikelihood.Problem(
        modelName: modelName, parameterNames: parameterNames, customers: sample.customers,
        distinctRows: sample.weights.count
      ) { theta, gradient in
        logLikelihood(theta, data: sample, gradient: &gradient)
      }
    }
    let estimate = try MaximumLikelihood.fit(
      problem, starts: starts, options: options, screening: screening)
    var report = estimate.report
    report.dropped = data.dropped
    return GammaGamma(parameters: estimate.parameters, fitReport: report)
  }

  /// Total log-likelihood of the mean spends and its gradient in (p, q, γ):
  ///
  ///     ℓ = log Γ(px+q) − log Γ(px) − log Γ(q) + q log γ + (px−1) log z̄ + px log x
  ///         − (px+q) log(γ + x z̄)
  ///     ∂ℓ/∂p = x [ψ(px+q) − ψ(px) + log z̄ + log x − log(γ + x z̄)]
  ///     ∂ℓ/∂q = ψ(px+q) − ψ(q) + log γ − log(γ + x z̄)
  ///     ∂ℓ/∂γ = q/γ − (px+q)/(γ + x z̄)
  ///
  /// - Source: [FH2013] eq. (1a) (density of z̄); derivatives by differentiation.
  public static func logLikelihood(
    _ theta: [Double], data: Data, gradient: inout [Double]
  )
    -> Double
  {
    let p = theta[0], q = theta[1], g = theta[2]
    let lgQ = Double.logGamma(q), psiQ = digamma(q), logG = Double.log(g)
    var total = 0.0, gp = 0.0, gq = 0.0, gg = 0.0
    // Terms that depend on x only, once per distinct x.
    for j in 0..<data.groupX.count {
      let x = data.groupX[j], w = data.groupWeight[j], sumLogM = data.groupWeightedLogSpend[j]
      let px = p * x
      let logX = Double.log(x)
      let psiPXQ = digamma(px + q)
      total +=
        w * (Double.logGamma(px + q) - Double.logGamma(px) - lgQ + q * logG + px * logX)
        + (px - 1) * sumLogM
      gp += x * (w * (psiPXQ - digamma(px) + logX) + sumLogM)
      gq += w * (psiPXQ - psiQ + logG)
      gg += w * q / g
    }
    // The term −(px+q) log(γ + x z̄), per row.
    for i in 0..<data.weights.count {
      let x = data.frequencies[i], w = data.weights[i]
      let den = g + x * data.averageSpend[i]
      let logDen = Double.log(den)
      let pxq = p * x + q
      total -= w * pxq * logDen
      gp -= w * x * logDen
      gq -= w * logDen
      gg -= w * pxq / den
    }
    if gradient.count != 3 { gradient = [0, 0, 0] }
    gradient[0] = gp
    gradient[1] = gq
    gradient[2] = gg
    return total
  }

  // MARK: Predictions

  /// One repeat buyer's log-likelihood (x > 0, z̄ > 0); −∞ otherwise.
  public func logLikelihood(frequency x: Int, averageSpend m: Double) -> Double {
    guard x > 0, m > 0 else { return -.infinity }
    let d = GammaGamma.Data([
      RFMSummary.Row(
        customerID: "", frequency: x, recency: 0, age: 1,
        monetaryValue: m)
    ])
    var g: [Double] = []
    return Self.logLikelihood([p, q, gamma], data: d, gradient: &g)
  }

  /// E[Z | x, z̄] = (p (γ + x z̄)) / (p x + q − 1), a weighted mean of the population mean
  /// p γ/(q − 1) and the customer's z̄ (weight p x/(p x + q − 1)). For x = 0 it is the
  /// population mean. Infinite when p x + q ≤ 1 (the mean does not exist).
  ///
  /// The model's spends are positive (gamma distributed); a customer whose mean repeat spend
  /// z̄ is not positive (returns netted against purchases, `--returns net`) is left out of
  /// the fit and scored like x = 0, with the population mean: z̄ ≤ 0 says nothing the model
  /// can use (product decision, as the fit's exclusion; lifetimes excludes them from the fit
  /// too).
  ///
  /// - Source: [FH2013] eq. (5); [FHL2005b] eq. (4).
  public func expectedAverageSpend(for customer: RFMSummary.Row) -> Double {
    let usable =
      customer.frequency > 0 && customer.monetaryValue > 0 && customer.monetaryValue.isFinite
    let x = usable ? Double(customer.frequency) : 0
    let m = usable ? customer.monetaryValue : 0
    let denominator = p * x + q - 1
    guard denominator > 0 else { return .infinity }
    return p * (gamma + x * m) / denominator
  }

  /// The population mean spend per purchase p γ / (q − 1) (infinite when q ≤ 1).
  public var populationMeanSpend: Double { q > 1 ? p * gamma / (q - 1) : .infinity }

  /// The estimates' warning for ``ModelWarnings``: with q ≤ 1 the mixing distribution of ν
  /// gives E[z] = p γ / (q − 1) no finite value, so the population mean spend, and the
  /// conditional expectation of every customer with p x + q ≤ 1 (at least those without a
  /// repeat purchase), is infinite.
  ///
  /// - Source: [FH2013] (the population mean p γ/(q − 1), which exists for q > 1) and eq. (5).
  @Sendable public static func parameterWarnings(_ parameters: [String: Double]) -> [String] {
    guard let q = parameters["q"], q.isFinite, q <= 1 else { return [] }
    return [
      "q = \(NumberText.significant(q)) ≤ 1: the population mean spend per purchase p·γ/(q − 1) is not "
        + "finite, so expected spend is infinite for customers with p·x + q ≤ 1 (every "
        + "customer without a repeat purchase); do not use its spend predictions"
    ]
  }
}
