import CLVData

extension WinBackCampaign {
  /// The header of a win-back list file.
  public static let csvHeader =
    "rank,customer_id,segment,lifecycle_stage,last_purchase,p_alive,churn_probability,clv,"
    + "retained_value,value_at_stake,offer_tier,reason"

  /// One line of a win-back list file (no line end). Numbers are written in `NumberText`'s one
  /// format (shortest round-trip, whole numbers without `.0`); empty fields where the scores file had none.
  public static func csvLine(_ entry: WinBackEntry) -> String {
    let r = entry.record
    return [
      "\(entry.rank)", CSVField.quoted(r.customerID), r.segment.rawValue,
      r.lifecycleStage?.description ?? "", r.lastPurchase?.description ?? "",
      optional(r.probabilityAlive), optional(r.churnProbability), optional(r.clv),
      NumberText.string(entry.retainedValue), NumberText.string(entry.valueAtStake),
      entry.offerTier.rawValue,
      CSVField.quoted(entry.reason),
    ].joined(separator: ",")
  }
}

extension ReplenishmentCampaign {
  /// The header of a replenishment list file.
  public static let csvHeader =
    "customer_id,segment,lifecycle_stage,last_purchase,due_date,send_date,days_until_due,"
    + "due_source,clv,reason"

  /// One line of a replenishment list file (no line end).
  public static func csvLine(_ entry: ReplenishmentEntry) -> String {
    let r = entry.record
    return [
      CSVField.quoted(r.customerID), r.segment.rawValue, r.lifecycleStage?.description ?? "",
      r.lastPurchase?.description ?? "", entry.dueDate.description, entry.sendDate.description,
      "\(entry.daysUntilDue)", entry.dueSource.rawValue, optional(r.clv),
      CSVField.quoted(entry.reason),
    ].joined(separator: ",")
  }
}

private func optional(_ value: Double?) -> String { value.map(NumberText.string) ?? "" }
