import ArgumentParser
import CLVData
import CLVScoring

/// The segment and lifecycle options of `clv score` (rules in CLVScoring's `SegmentationRules`).
struct SegmentOptions: ParsableArguments {
  @Option(
    name: .customLong("alive-threshold"),
    help: """
      Active when P(alive) (or 1 - churn probability) is at least this and the customer is \
      not lapsed (see --lapse-cycles).
      """)
  var aliveThreshold: Double = SegmentationRules.defaultAliveThreshold

  @Option(
    name: .customLong("value-threshold"),
    help: """
      High value when CLV (expected purchases without a spend model) is above this \
      (default: the median of the active customers in this file; give it when scoring a file \
      in parts).
      """)
  var valueThreshold: Double?

  @Option(
    name: .customLong("new-window-days"),
    help:
      "A one-time buyer whose first purchase is at most this many days old is a new-buyer."
  )
  var newWindowDays: Int = SegmentationRules.defaultNewWindowDays

  @Option(
    name: .customLong("departing-days"),
    help:
      "Days since the last purchase that start departing-N stages, ascending.")
  var departingDays: String = "90,180,360"

  @Option(
    name: .customLong("lapse-cycles"),
    help: """
      A repeat buyer silent for more than this many of their own purchase cycles (and more \
      than the first departing days) is lapsed, never in an active segment; a one-time buyer \
      is lapsed past the first departing days.
      """)
  var lapseCycles: Double = SegmentationRules.defaultLapseCycles

  @Option(
    name: .customLong("population-cycle-days"),
    help: """
      The population's purchase cycle in days, toward which each customer's own cycle is \
      shrunk (expected_next_purchase, lapse) (default: the median of the repeat buyers' mean \
      gaps in this file; give it when scoring a file in parts, e.g. one Spark partition at a \
      time, so that every part uses the whole population's).
      """)
  var populationCycleDays: Double?

  @Option(
    name: .customLong("customers"),
    help: """
      CSV with a customer_id column: listed customers without orders get a prospect row \
      ('-' for standard input; default: none).
      """)
  var customers: String?

  @Option(
    name: .customLong("churn-model"),
    help: """
      churn-logit model file from 'clv train': adds churn_probability, which replaces P(alive) \
      on the activity axis (default: none).
      """)
  var churnModel: String?

  @Option(
    help: """
      Customer attributes CSV with a customer_id column: for a purchase or spend model with \
      covariates (required then: each customer is scored with their own parameters; a \
      Gamma-Gamma trained with --attributes gives each customer's expected_spend at their own \
      scale gamma exp(d'w)), for a churn model \
      with attribute features, and for --cac costs by an attribute such as channel (default: \
      none).
      """)
  var attributes: String?

  func validate() throws {
    guard aliveThreshold >= 0, aliveThreshold <= 1 else {
      throw ValidationError("--alive-threshold must be in [0, 1]; got \(aliveThreshold)")
    }
    if let valueThreshold, !valueThreshold.isFinite {
      throw ValidationError("--value-threshold must be a number; got \(valueThreshold)")
    }
    if let populationCycleDays, !(populationCycleDays > 0 && populationCycleDays.isFinite) {
      throw ValidationError(
        "--population-cycle-days must be a positive number; got \(populationCycleDays)")
    }
    guard lapseCycles > 0, lapseCycles.isFinite else {
      throw ValidationError("--lapse-cycles must be a positive number; got \(lapseCycles)")
    }
    guard newWindowDays >= 0 else {
      throw ValidationError("--new-window-days must be 0 or more; got \(newWindowDays)")
    }
    _ = try parsedDepartingDays()
  }

  /// `--departing-days` as ascending positive integers.
  func parsedDepartingDays() throws -> [Int] { try parseDepartingDays(departingDays) }

  func rules(asOf: Day) throws -> SegmentationRules {
    try SegmentationRules(
      asOf: asOf, aliveThreshold: aliveThreshold, valueThreshold: valueThreshold,
      newWindowDays: newWindowDays, departingDays: try parsedDepartingDays(),
      lapseCycles: lapseCycles, populationCycleDays: populationCycleDays)
  }
}

/// `--departing-days` (of `clv score` and `clv target`) as ascending positive integers.
func parseDepartingDays(_ text: String) throws -> [Int] {
  let days = text.split(separator: ",", omittingEmptySubsequences: false).map {
    Int($0.trimmingPrefix(" "))
  }
  guard !days.isEmpty, days.allSatisfy({ ($0 ?? 0) > 0 }) else {
    throw ValidationError("--departing-days '\(text)': expected positive integers, e.g. 90,180,360")
  }
  let values = days.map { $0! }
  guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
    throw ValidationError("--departing-days '\(text)' must be strictly ascending")
  }
  return values
}
