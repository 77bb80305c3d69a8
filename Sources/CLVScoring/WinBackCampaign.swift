import CLVData

/// The size of a win-back incentive.
public enum OfferTier: String, CaseIterable, Sendable {
  case small, medium, large
}

/// One customer on a win-back list.
public struct WinBackEntry: Sendable, Equatable {
  /// 1 for the highest value at stake.
  public var rank: Int
  public var record: ScoreRecord
  /// CLV if retained, see ``WinBackCampaign/retainedValue(of:)``.
  public var retainedValue: Double
  /// The probability of being lost: the churn probability, or 1 − P(alive).
  public var lossProbability: Double
  /// retainedValue × lossProbability.
  public var valueAtStake: Double
  public var offerTier: OfferTier
  /// Why the customer is on the list, in words.
  public var reason: String
}

/// The win-back list: customers who are `at-risk` or departing, most value at stake first.
///
///     eligible:        segment = at-risk, or lifecycle stage = departing-N
///     value_at_stake = CLV if retained × P(lost)
///     CLV if retained = clv / P(alive)          (clv itself when P(alive) = 0)
///     P(lost)         = churn_probability, or 1 − P(alive) without a churn model
///     order:           value_at_stake descending, then customer_id ascending (UTF-8 bytes)
///     offer_tier:      departing-N₁ → small, N₂ → medium, N₃ and later → large;
///                      at-risk but not departing → small
///     --budget N:      the first N of that order
///
/// "CLV if retained" divides by P(alive) because a BTYD model's conditional expectation is
/// P(alive) times the expectation given alive (a departed customer buys nothing): in
/// [FHL2005a] eq. (10) the denominator is 1 / P(alive) [FHL2008]. Without a spend model the
/// value is the expected number of purchases instead of CLV.
///
/// - Source: targeting by expected loss, churn probability × customer value, is the
///   churn-management rule of [BKN2008] (churn management chapter) and [NGKLM2006]. Win-back of
///   lapsed customers and the role of the offer are studied in [TBF2004] and [GL2001]; the
///   escalation of the offer with the time since the last purchase (90 → small, 180 → medium,
///   360 → large) is the lifecycle-playbook rule of the issue, a product decision, as are the
///   tier boundaries (one per departing threshold) and the tie-break by id.
public enum WinBackCampaign {
  /// The list for `records`.
  ///
  /// - Parameters:
  ///   - departingDays: the departing thresholds the scores were made with (ascending), which
  ///     name the offer tiers.
  ///   - budget: keep the first `budget` customers; nil for all.
  ///   - file: the scores file's name, for errors.
  /// - Throws: ``DataError/invalidField(file:line:column:value:expected:)`` for a departing
  ///   stage whose days are not among `departingDays`, a missing P(alive), or a value at stake
  ///   that is not finite; ``ScoringError/invalidRules(_:)`` for a negative budget.
  public static func list(
    _ records: [ScoreRecord], departingDays: [Int] = SegmentationRules.defaultDepartingDays,
    budget: Int? = nil, file: String = "<scores>"
  ) throws -> [WinBackEntry] {
    if let budget, budget < 0 {
      throw ScoringError.invalidRules("budget \(budget) is negative")
    }
    var entries: [WinBackEntry] = []
    for record in records {
      let departing: Int?
      if case .departing(let days) = record.lifecycleStage {
        departing = days
      } else {
        departing = nil
      }
      guard record.segment == .atRisk || departing != nil else { continue }
      var tier = OfferTier.small
      if let departing {
        guard let index = departingDays.firstIndex(of: departing) else {
          throw DataError.invalidField(
            file: file, line: record.line, column: "lifecycle_stage",
            value: "departing-\(departing)",
            expected: "a stage of the departing days "
              + departingDays.map(String.init).joined(separator: ",")
              + " (set --departing-days as for clv score)")
        }
        tier = OfferTier.allCases[min(index, OfferTier.allCases.count - 1)]
      }
      guard let pAlive = record.probabilityAlive else {
        throw DataError.invalidField(
          file: file, line: record.line, column: "p_alive", value: "", expected: "a probability")
      }
      guard let value = record.value else {
        throw DataError.invalidField(
          file: file, line: record.line, column: "clv", value: "",
          expected: "a CLV or expected purchases")
      }
      let retained = retainedValue(value: value, probabilityAlive: pAlive)
      let loss = record.churnProbability ?? (1 - pAlive)
      let stake = retained * loss
      guard stake.isFinite else {
        throw DataError.invalidField(
          file: file, line: record.line, column: "clv", value: "\(value)",
          expected: "a value whose value at stake is finite")
      }
      entries.append(
        WinBackEntry(
          rank: 0, record: record, retainedValue: retained, lossProbability: loss,
          valueAtStake: stake, offerTier: tier,
          reason: reason(
            record, departing: departing, retained: retained, loss: loss,
            stake: stake)))
    }
    entries.sort {
      $0.valueAtStake != $1.valueAtStake
        ? $0.valueAtStake > $1.valueAtStake
        : $0.record.customerID.utf8.lexicographicallyPrecedes($1.record.customerID.utf8)
    }
    if let budget, entries.count > budget { entries.removeSubrange(budget...) }
    for index in entries.indices { entries[index].rank = index + 1 }
    return entries
  }

  /// The records with their departing stage brought forward to `asOf` (a list built some days
  /// after the scores): a customer with more than N₁ days since the last purchase at `asOf` is
  /// `departing-Nₖ` (Nₖ the largest threshold below those days), as in
  /// ``SegmentationRules/lifecycleStage(of:)``; other stages are kept.
  /// - Throws: ``ScoringError/invalidRules(_:)`` when `asOf` is before the scores' as-of date.
  public static func restaged(
    _ table: ScoresTable, asOf: Day, departingDays: [Int]
  ) throws -> [ScoreRecord] {
    if let scoresAsOf = table.asOf, asOf < scoresAsOf {
      throw ScoringError.invalidRules(
        "as-of \(asOf) is before the as-of date of the scores, \(scoresAsOf)")
    }
    return table.records.map { record in
      guard let last = record.lastPurchase,
        let days = departingDays.last(where: { asOf - last > $0 })
      else { return record }
      var record = record
      record.lifecycleStage = .departing(days: days)
      return record
    }
  }

  /// CLV if retained: `value / P(alive)`, or `value` when P(alive) = 0 (then the model says
  /// the customer is certainly gone, and its conditional value is 0 as well).
  /// - Source: [FHL2005a] eq. (10) = P(alive) × E[· | alive]; see ``WinBackCampaign``.
  public static func retainedValue(value: Double, probabilityAlive: Double) -> Double {
    probabilityAlive > 0 ? value / probabilityAlive : value
  }

  private static func reason(
    _ record: ScoreRecord, departing: Int?, retained: Double, loss: Double, stake: Double
  ) -> String {
    var parts: [String] = []
    if let departing { parts.append("no purchase for more than \(departing) days") }
    if record.segment == .atRisk { parts.append("at-risk (high value, not active)") }
    let valueName = record.clv == nil ? "expected purchases if retained" : "CLV if retained"
    let lossName = record.churnProbability == nil ? "1 - P(alive)" : "churn probability"
    return parts.joined(separator: "; ")
      + "; value at stake \(Fixed.format(stake, digits: 2)) = \(valueName) "
      + "\(Fixed.format(retained, digits: 2)) x P(lost) \(Fixed.format(loss, digits: 3)) "
      + "(\(lossName))"
  }
}

/// Fixed-point text for reasons (no Foundation): `format(1234.567, digits: 2)` = "1234.57".
enum Fixed {
  static func format(_ x: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    guard x.isFinite, scaled < 9e15 else { return "\(x)" }
    let units = Int64(scaled)
    let integer = units / Int64(scale)
    var fraction = String(units % Int64(scale))
    fraction = String(repeating: "0", count: digits - fraction.count) + fraction
    let sign = x < 0 && units != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(integer)" : "\(sign)\(integer).\(fraction)"
  }
}
