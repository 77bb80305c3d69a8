import CLVData
import CLVModels

extension RunFile {
  /// The holdout of a contractual model (sBG, BdW; `clv evaluate` on subscriber data): the
  /// survival curve by tenure as observed in all the data, and as the model projects it from the
  /// calibration data (subscriber data up to the as-of period).
  ///
  /// `actualSurvival[t]` is the Kaplan–Meier estimate at tenure t from the durations as of the
  /// data's last period (for one cohort it is n(t)/n(0)); `predictedSurvival[t]` is the model's
  /// S(t). Tenures up to `calibrationTenure` (the longest tenure observed in the calibration
  /// data) were seen by the fit; later tenures are the projection.
  public struct Retention: Codable, Sendable, Equatable {
    /// The longest tenure (in periods) in the calibration data.
    public var calibrationTenure: Int
    /// S(t), t = 0, 1, …, as observed (Kaplan–Meier) in all the data; null where no subscriber
    /// is observed at tenure t.
    public var actualSurvival: [Double?]
    /// The model's S(t) for the same tenures.
    public var predictedSurvival: [Double]
    /// Mean absolute error of S(t) over the tenures after `calibrationTenure` (the projection);
    /// nil when the data have none.
    public var projectionMAE: Double?
    /// Mean absolute error of S(t) over the calibration tenures 1 … `calibrationTenure`.
    public var calibrationMAE: Double?
    /// The model's expected lifetime in periods; nil when infinite.
    public var expectedLifetime: Double?

    public init(
      calibrationTenure: Int, actualSurvival: [Double?], predictedSurvival: [Double],
      projectionMAE: Double?, calibrationMAE: Double?, expectedLifetime: Double?
    ) {
      self.calibrationTenure = calibrationTenure
      self.actualSurvival = actualSurvival
      self.predictedSurvival = predictedSurvival
      self.projectionMAE = projectionMAE
      self.calibrationMAE = calibrationMAE
      self.expectedLifetime = expectedLifetime
    }

    /// The retention rate r_t = S(t)/S(t − 1) of a survival curve (t ≥ 1); nil where S(t − 1)
    /// is 0 or unknown.
    /// - Source: [FH2007] eq. (2).
    public static func retentionRates(_ survival: [Double?]) -> [Double?] {
      guard survival.count > 1 else { return [] }
      return (1..<survival.count).map { t in
        guard let now = survival[t], let before = survival[t - 1], before > 0 else { return nil }
        return now / before
      }
    }
  }
}

extension ContractDurations {
  /// The Kaplan–Meier estimate of S(t) for t = 0 … `through`: Π_{k ≤ t} (1 − d_k / n_k), with d_k
  /// the subscribers who cancelled after exactly k periods and n_k those at risk at tenure k
  /// (cancelled after ≥ k periods, or still active after ≥ k renewals); nil from the first
  /// tenure where nobody is at risk. For a single cohort it is n(t)/n(0).
  /// - Source: Kaplan & Meier (1958), "Nonparametric estimation from incomplete observations",
  ///   J. American Statistical Association 53(282) [KM1958].
  public func kaplanMeier(through periods: Int) -> [Double?] {
    var survival: [Double?] = [1]
    var current = 1.0
    var atRisk = subscribers - (censored[0] ?? 0)
    for k in stride(from: 1, through: periods, by: 1) {
      guard atRisk > 0 else {
        survival.append(nil)
        continue
      }
      let deaths = lifetimes[k] ?? 0
      current *= 1 - deaths / atRisk
      survival.append(current)
      atRisk -= deaths + (censored[k] ?? 0)
    }
    return survival
  }
}

extension RunFile.DataInfo {
  /// N of `period N` (the ends of a run on subscriber data, unit `opportunity`), or nil.
  public static func period(_ text: String) -> Int? {
    guard text.hasPrefix("period ") else { return nil }
    return Int(text.dropFirst("period ".count))
  }
}
