import CLVData

extension WinBackCampaign {
  /// The header of a win-back list file.
  public static let csvHeader =
    "rank,customer_id,segment,lifecycle_stage,last_purchase,frequency,cycle_days,"
    + "cycles_since_last_purchase,p_reactivation,value_if_reactivated,expected_value,"
    + "offer_tier,reason"

  /// One line of a win-back list file (no line end). Numbers are written in `NumberText`'s one
  /// format (shortest round-trip, whole numbers without `.0`).
  public static func csvLine(_ entry: WinBackEntry) -> String {
    let r = entry.record
    return [
      "\(entry.rank)", CSVField.quoted(r.customerID), r.segment.rawValue,
      r.lifecycleStage?.description ?? "", entry.history.lastPurchase.description,
      "\(entry.history.frequency)", NumberText.string(entry.cycleDays),
      NumberText.string(entry.cyclesSinceLastPurchase),
      NumberText.string(entry.reactivationProbability),
      NumberText.string(entry.valueIfReactivated), NumberText.string(entry.expectedValue),
      entry.offerTier.rawValue, CSVField.quoted(entry.reason),
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
