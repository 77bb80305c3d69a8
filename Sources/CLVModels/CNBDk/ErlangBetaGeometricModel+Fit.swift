import CLVData
import CLVNumerics

extension ErlangBetaGeometricModel {
  /// The log-likelihood of each k tried by the last grid search, k = 1 … 12 in order (nil for
  /// a k whose fit failed), written to the model file's `extra.logLikelihoodByK`.
  public struct RegularityProfile: Codable, Sendable, Equatable {
    public var logLikelihoods: [Double?]
  }

  /// Fits the model by maximum likelihood: for each k in 1 … 12 the parameters (r, α, a, b)
  /// (L-BFGS on their logs, analytic gradient), then the k with the largest total
  /// log-likelihood, litt term included (so that fits with different k compare; BTYDplus
  /// `xbgcnbd.EstimateParameters` searches the same grid).
  ///
  /// - Parameter summary: must carry ``RFMSummary/logInterPurchaseTimes`` (an order log read
  ///   with ``SummaryPeriod/interPurchaseTimes``, or a summary CSV with a `litt` column).
  /// - Throws: ``ModelError/unusableData(model:reason:)`` without litt; the last fit's error
  ///   when no k could be fitted.
  public static func fit(
    _ summary: RFMSummary, weights: [Double]? = nil, options: FitOptions = FitOptions()
  ) throws -> Self {
    guard let litt = summary.logInterPurchaseTimes, litt.count == summary.rows.count else {
      throw ModelError.unusableData(
        model: modelName,
        reason: "choosing k needs each customer's log inter-purchase times (litt): fit it on "
          + "an order log, or on a summary written by 'clv summarize --litt'")
    }
    var totalLitt = 0.0, totalX = 0.0
    for (i, row) in summary.rows.enumerated() {
      let w = weights?[i] ?? 1
      guard litt[i].isFinite else {
        throw ModelError.unusableData(
          model: modelName, reason: "customer '\(row.customerID)': litt = \(litt[i]) is not finite")
      }
      totalLitt += w * litt[i]
      totalX += w * Double(row.frequency)
    }
    let data = try CollapsedRFM(summary.rows, weights: weights, model: modelName)
    return try fit(
      data, totalLogInterPurchaseTimes: totalLitt, totalRepeatPurchases: totalX,
      options: options)
  }

  /// Fits on collapsed rows, given Σ wᵢ·littᵢ and Σ wᵢ·xᵢ over the customers (the litt term of
  /// the total log-likelihood is (k−1)·Σ litt − Σ x · log((k−1)!)). `regularity` fixes k
  /// (nil: the grid 1 … 12).
  public static func fit(
    _ data: CollapsedRFM, totalLogInterPurchaseTimes totalLitt: Double,
    totalRepeatPurchases totalX: Double, regularity: Int? = nil,
    options: FitOptions = FitOptions()
  ) throws -> Self {
    let grid = regularity.map { [$0] } ?? Array(regularities)
    var best: (model: Self, total: Double)?
    var profile = [Double?](repeating: nil, count: regularities.upperBound)
    var previous: [Double]?
    var firstError: Error?
    var seconds = 0.0
    for k in grid {
      let kernel = ErlangBetaGeometricKernel(k: k, modified: Variant.dropsOutAfterFirstPurchase)
      let name = "\(modelName) (k = \(k))"
      // Warm start from k − 1: λ of k phases per gap is about k/(k−1) times λ of k − 1, so α
      // scales by (k−1)/k; the deterministic BG/NBD starts (α / k) when that fails.
      let defaultStarts = betaGeometricStarts(data).map {
        [$0[0], $0[1] / Double(k), $0[2], $0[3]]
      }
      let warm = previous.map { [$0[0], $0[1] * Double(k - 1) / Double(k), $0[2], $0[3]] }
      let estimate: MaximumLikelihood.Estimate
      do {
        estimate = try fitFixed(
          data, kernel: kernel, name: name, starts: warm.map { [$0] } ?? defaultStarts,
          options: options)
      } catch {
        if warm == nil {
          firstError = firstError ?? error
          continue
        }
        do {
          estimate = try fitFixed(
            data, kernel: kernel, name: name, starts: defaultStarts, options: options)
        } catch {
          firstError = firstError ?? error
          continue
        }
      }
      previous = estimate.parameters
      seconds += estimate.report.seconds
      let total =
        estimate.report.logLikelihood + Double(k - 1) * totalLitt
        - totalX * kernel.logFactorialKMinus1
      if k <= profile.count { profile[k - 1] = total }
      if best == nil || total > best!.total {
        var report = estimate.report
        report.logLikelihood = total
        report.standardErrors = report.standardErrors.map { [0] + $0 }
        let p = estimate.parameters
        best = (Self(k: k, r: p[0], alpha: p[1], a: p[2], b: p[3], fitReport: report), total)
      }
    }
    guard var model = best?.model else {
      throw firstError
        ?? ModelError.unusableData(model: modelName, reason: "no value of k could be fitted")
    }
    model.fitReport?.seconds = seconds
    model.profile = RegularityProfile(logLikelihoods: profile)
    return model
  }

  /// The maximum-likelihood fit of (r, α, a, b) at a fixed k, α penalized on lifetimes' time
  /// scale 1 / max T as in BG/NBD.
  static func fitFixed(
    _ data: CollapsedRFM, kernel: ErlangBetaGeometricKernel, name: String, starts: [[Double]],
    options: FitOptions
  ) throws -> MaximumLikelihood.Estimate {
    func problem(_ data: CollapsedRFM) -> MaximumLikelihood.Problem {
      var problem = MaximumLikelihood.Problem(
        modelName: name, parameterNames: ["r", "alpha", "a", "b"], customers: data.customers,
        distinctRows: data.count, penaltyScales: [1, 1 / data.maxAge, 1, 1]
      ) { theta, gradient in
        kernel.logLikelihood(theta, data: data, gradient: &gradient)
      }
      problem.dropped = Int(data.zeroAgeCustomers.rounded())
      return problem
    }
    return try MaximumLikelihood.fit(
      problem(data), starts: starts, options: options,
      screening: data.subsample(maximumRows: screeningRows).map(problem))
  }

  /// Total log-likelihood (without the litt term) and its gradient in (r, α, a, b) at a fixed
  /// k ([PR2016] section 3; see `ErlangBetaGeometricKernel`).
  public static func logLikelihood(
    _ parameters: [Double], k: Int, data: CollapsedRFM, gradient: inout [Double]
  ) -> Double {
    ErlangBetaGeometricKernel(k: k, modified: Variant.dropsOutAfterFirstPurchase)
      .logLikelihood(parameters, data: data, gradient: &gradient)
  }
}
