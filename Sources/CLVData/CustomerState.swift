#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running per-customer state while streaming an order log (72 bytes per customer; nothing per
/// row). Days are days since 1970-01-01.
struct CustomerState {
  static let none = Int32.max
  var firstDay: Int32 = CustomerState.none
  var lastDay: Int32 = Int32.min  // last purchase day seen (any period)
  var calibrationLastDay: Int32 = Int32.min
  var calibrationDays: Int32 = 0  // purchase days ≤ calibration end
  var holdoutDays: Int32 = 0  // purchase days in (calibration end, observation end]
  var longestGap: Int32 = 0
  /// The last two gaps between calibration purchase days (0: none yet), for the Wheat–Morrison
  /// statistic (``PurchaseRegularity``).
  var lastGap: Int32 = 0
  var previousGap: Int32 = 0
  var needsReplay = false
  /// Σ log(gap in days) over the calibration gaps, when asked for (litt).
  var logGapDays = 0.0
  var firstDayAmount = 0.0
  var calibrationRepeatAmount = 0.0
  var holdoutAmount = 0.0

  /// Adds `amount` to the bucket of `day`: the first purchase day, a repeat day in the
  /// calibration period, or the holdout period.
  @inline(__always)
  mutating func addAmount(_ amount: Double, on day: Int32, calibrationEnd: Int32) {
    if day == firstDay {
      firstDayAmount += amount
    } else if day <= calibrationEnd {
      calibrationRepeatAmount += amount
    } else {
      holdoutAmount += amount
    }
  }

  /// Applies one order. Returns false when the order cannot be applied in streaming order (it
  /// predates the last purchase day, or is a return before any purchase): the customer must be
  /// recomputed from their sorted orders.
  @inline(__always)
  mutating func apply(
    day: Int32, amount: Double, calibrationEnd: Int32, logGaps: Bool = false
  ) -> Bool {
    if amount < 0 {  // a return under `net`: not a purchase day by itself
      guard firstDay != CustomerState.none, day >= firstDay else { return false }
      addAmount(amount, on: day, calibrationEnd: calibrationEnd)
      return true
    }
    if firstDay == CustomerState.none {
      firstDay = day
      lastDay = day
      if day <= calibrationEnd {  // else first seen after the calibration end: left out later
        calibrationDays = 1
        calibrationLastDay = day
      }
      firstDayAmount = amount
      return true
    }
    if day < lastDay { return false }
    if day == lastDay {
      addAmount(amount, on: day, calibrationEnd: calibrationEnd)
      return true
    }
    if day <= calibrationEnd {
      calibrationDays += 1
      let gap = day - lastDay
      longestGap = max(longestGap, gap)
      previousGap = lastGap
      lastGap = gap
      if logGaps { logGapDays += log(Double(gap)) }
      calibrationLastDay = day
      calibrationRepeatAmount += amount
    } else {
      holdoutDays += 1
      holdoutAmount += amount
    }
    lastDay = day
    return true
  }
}
