import CLVData
import CLVModels
import CLVNumerics
import Foundation
import TestSupport

/// The CDNOW churn data of the correctness tests, built from `CDNOW_master.txt` exactly as
/// `scripts/reference/churn_logit.py` builds it with lifetimes 0.11.3
/// (`calibration_and_holdout_data(..., calibration_period_end='1997-09-30',
/// observation_period_end='1998-06-30', freq='D', freq_multiplier=7,
/// monetary_value_col='dollar_value')`): orders on one day are one purchase (amounts summed);
/// frequency = purchase days − 1, recency and T in weeks = days / 7, monetary value = mean of
/// the repeat purchase days' amounts (0 without repeat purchases); churn = no purchase day in
/// (1997-09-30, 1998-06-30].
enum CDNOWChurn {
  struct Data {
    var rows: [RFMSummary.Row]
    var churned: [Bool]
  }

  /// Loaded once per test process.
  static func load() throws -> Data { try cached.get() }

  private static let cached = Result { try read() }

  private static func read() throws -> Data {
    let url = try Fixtures.sharedDataset("CDNOW_master.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    let calibrationEnd = Day(year: 1997, month: 9, day: 30)!
    let observationEnd = Day(year: 1998, month: 6, day: 30)!
    // customer → (day → amount), split at the calibration end.
    var calibration: [String: [Int: Double]] = [:]
    var holdoutDays: [String: Set<Int>] = [:]
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\r" })
      guard fields.count == 4 else { continue }
      let id = String(fields[0])
      let date = fields[1]
      let day = Day(
        year: Int(date.prefix(4))!, month: Int(date.dropFirst(4).prefix(2))!,
        day: Int(date.suffix(2))!)!
      let amount = Double(fields[3])!
      if day <= calibrationEnd {
        calibration[id, default: [:]][day.daysSinceEpoch, default: 0] += amount
      } else if day <= observationEnd {
        holdoutDays[id, default: []].insert(day.daysSinceEpoch)
      }
    }
    var rows: [RFMSummary.Row] = []
    var churned: [Bool] = []
    for id in calibration.keys.sorted() {
      let days = calibration[id]!.keys.sorted()
      let first = days.first!
      let last = days.last!
      let repeats = days.dropFirst().map { calibration[id]![$0]! }
      rows.append(
        RFMSummary.Row(
          customerID: id, frequency: days.count - 1, recency: Double(last - first) / 7,
          age: Double(calibrationEnd.daysSinceEpoch - first) / 7,
          monetaryValue: repeats.isEmpty ? 0 : repeats.reduce(0, +) / Double(repeats.count)))
      churned.append(ChurnLabel.churned(holdoutFrequency: holdoutDays[id]?.count ?? 0))
    }
    return Data(rows: rows, churned: churned)
  }
}
