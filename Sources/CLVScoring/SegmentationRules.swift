import CLVData

/// The thresholds of the segment, lifecycle-stage and next-purchase rules, with the defaults
/// of `clv score`.
///
/// Every rule is a documented function of ``CustomerFacts`` and these thresholds, see
/// ``segment(of:valueThreshold:)``, ``lifecycleStage(of:)`` and ``expectedNextPurchase(of:)``.
public struct SegmentationRules: Sendable, Equatable {
  /// The day the scores describe (the end of observation).
  public var asOf: Day
  /// Active when P(alive) (or 1 − churn probability) is at least this. Default 0.5.
  public var aliveThreshold: Double
  /// High value when CLV is strictly above this; nil: the median value of the active
  /// customers, see ``medianValueThreshold(of:)``.
  public var valueThreshold: Double?
  /// A one-time buyer whose first purchase is at most this many days before `asOf` is a
  /// `new-buyer`. Default 30.
  public var newWindowDays: Int
  /// Days since the last purchase from which a customer is departing, ascending.
  /// Default [90, 180, 360].
  public var departingDays: [Int]
  /// A repeat buyer silent for more than this many of their own purchase cycles (and more
  /// than the first departing threshold) is lapsed: never in an active segment, see
  /// ``isLapsed(_:)``. Default 2.
  public var lapseCycles: Double
  /// The weight of the population cycle in a customer's cycle, in pseudo-gaps, see
  /// ``cycleDays(of:)``. Default 2.
  public var cyclePriorGaps: Double
  /// The population's typical time between purchases in days (the median of the repeat
  /// buyers' own mean gaps, see ``medianCycleDays(of:)``); nil: unknown (no repeat buyer),
  /// then a customer's cycle is their own mean gap. `ScoreAugmenter` fills it from the file.
  public var populationCycleDays: Double?

  public static let defaultAliveThreshold = 0.5
  public static let defaultNewWindowDays = 30
  public static let defaultDepartingDays = [90, 180, 360]
  public static let defaultLapseCycles = 2.0
  public static let defaultCyclePriorGaps = 2.0

  /// - Throws: ``ScoringError/invalidRules(_:)`` when a threshold is out of range: the alive
  ///   threshold outside [0, 1], a non-finite value threshold, a negative window, or departing
  ///   days that are empty, not positive or not strictly ascending, lapse cycles or prior gaps
  ///   not positive and finite, a population cycle not positive and finite.
  public init(
    asOf: Day, aliveThreshold: Double = defaultAliveThreshold, valueThreshold: Double? = nil,
    newWindowDays: Int = defaultNewWindowDays, departingDays: [Int] = defaultDepartingDays,
    lapseCycles: Double = defaultLapseCycles, cyclePriorGaps: Double = defaultCyclePriorGaps,
    populationCycleDays: Double? = nil
  ) throws {
    guard lapseCycles > 0, lapseCycles.isFinite else {
      throw ScoringError.invalidRules("lapse cycles \(lapseCycles) is not a positive number")
    }
    guard cyclePriorGaps > 0, cyclePriorGaps.isFinite else {
      throw ScoringError.invalidRules("cycle prior gaps \(cyclePriorGaps) is not a positive number")
    }
    if let populationCycleDays, !(populationCycleDays > 0 && populationCycleDays.isFinite) {
      throw ScoringError.invalidRules(
        "population cycle \(populationCycleDays) days is not a positive number")
    }
    guard aliveThreshold >= 0, aliveThreshold <= 1 else {
      throw ScoringError.invalidRules("alive threshold \(aliveThreshold) is not in [0, 1]")
    }
    if let valueThreshold, !valueThreshold.isFinite {
      throw ScoringError.invalidRules("value threshold \(valueThreshold) is not finite")
    }
    guard newWindowDays >= 0 else {
      throw ScoringError.invalidRules("new-window days \(newWindowDays) is negative")
    }
    guard let first = departingDays.first, first > 0,
      zip(departingDays, departingDays.dropFirst()).allSatisfy({ $0 < $1 })
    else {
      throw ScoringError.invalidRules(
        "departing days \(departingDays) must be positive and strictly ascending")
    }
    self.asOf = asOf
    self.aliveThreshold = aliveThreshold
    self.valueThreshold = valueThreshold
    self.newWindowDays = newWindowDays
    self.departingDays = departingDays
    self.lapseCycles = lapseCycles
    self.cyclePriorGaps = cyclePriorGaps
    self.populationCycleDays = populationCycleDays
  }
}
