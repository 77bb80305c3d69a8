import CLVData
import CLVModels

/// The two cohorts of [FH2007] Table 1 (1000 customers each; survivors at the end of years
/// 0 … 12), as the data layer reads them.
enum ContractualFixtures {
  static let regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
  static let highEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]

  /// A cohort file's bytes: `period,alive`.
  static func cohortCSV(_ alive: [Int]) -> [UInt8] {
    var text = "period,alive\n"
    for (period, count) in alive.enumerated() { text += "\(period),\(count)\n" }
    return Array(text.utf8)
  }

  /// The calibration durations of [FH2007] (years 1 … 7), read through the cohort layout.
  static func calibration(_ alive: [Int]) throws -> ContractDurations {
    try SubscriberData.parse(cohortCSV(alive), file: "cohort.csv").durations(asOf: 7)
  }
}
