/// Errors of the scoring rules and the targeting lists. Each description leads with what it is
/// about (a customer or the rules); file-and-line errors of reading scores files are
/// `DataError`s (CLVData).
public enum ScoringError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A threshold or option of the rules is out of range (exit 64: a usage error).
  case invalidRules(String)
  /// A per-customer input is NaN or infinite where a number is required (exit 70: the model
  /// produced it).
  case nonFinite(customerID: String, quantity: String)
  /// A customer's dates contradict the as-of date (a purchase after it, last before first).
  case inconsistentDates(customerID: String, reason: String)

  public var description: String {
    switch self {
    case .invalidRules(let reason):
      return "scoring rules: \(reason)"
    case .nonFinite(let customerID, let quantity):
      return "customer '\(customerID)': \(quantity) is not finite"
    case .inconsistentDates(let customerID, let reason):
      return "customer '\(customerID)': \(reason)"
    }
  }

  /// The sysexits(3) code: 64 for rules (options) out of range, 65 for inconsistent dates,
  /// 70 for non-finite model outputs.
  public var exitCode: Int32 {
    switch self {
    case .invalidRules: return 64
    case .inconsistentDates: return 65
    case .nonFinite: return 70
    }
  }
}
