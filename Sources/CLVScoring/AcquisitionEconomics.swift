import CLVData

/// One customer's acquisition economics: the CAC against the margin the customer has brought
/// and is expected to bring (`clv score --cac FILE`, columns ``ScoreColumns/acquisition``).
///
///     first_order_profit = m · (amount of the first purchase day)
///     margin_to_date     = m · (amount of every purchase day up to as-of, the first included)
///     clv_to_cac         = (margin_to_date + clv) / cac             (empty when cac = 0)
///     payback_days       = days from the first purchase until the cumulative margin
///                          reaches the CAC:
///                          the day the realised margin reached it, when it has; else
///                          (as-of − first purchase) + t*, t* the smallest t ≤ H with
///                          margin_to_date + M(t) ≥ cac, where
///                          M(t) = m · E[Z | x, z̄] · E[Y(t) | x, tₓ, T]
///                          (empty when M(H) falls short: not paid back within the horizon;
///                          rounded to 0.001 day)
///
/// m is the margin of `--margin` (the share of revenue that is profit, the same that scales
/// clv), E[Z | x, z̄] the spend model's conditional mean spend per purchase, E[Y(t) | …] the
/// purchase model's conditional expected purchases in the next t model units, H the horizon.
///
/// clv_to_cac is lifetime value from acquisition over cost: CLV net of the acquisition cost is
/// `(margin_to_date + clv) − cac`, as the CLV of a customer yet to be acquired is the
/// discounted margins minus the acquisition cost AC ([GUP2006] eq. (1)). The payback period is undiscounted, the common "months to
/// recover CAC" (a product decision), so with `--discount-rate 0` payback_days is within
/// as-of + H exactly when clv_to_cac ≥ 1. Counting the margin to date (not only the future
/// CLV) and from the first purchase are product decisions: CAC is spent at acquisition.
public struct AcquisitionEconomics: Sendable, Equatable {
  /// nil when the costs file has none for the customer (then the ratio and payback are nil).
  public var cac: Double?
  public var firstOrderProfit: Double
  public var marginToDate: Double
  /// nil without a CAC, with a CAC of 0, or without a CLV (no spend model).
  public var clvToCAC: Double?
  /// nil without a CAC, or when not paid back by as-of + H.
  public var paybackDays: Double?

  public init(
    cac: Double?, firstOrderProfit: Double, marginToDate: Double, clvToCAC: Double?,
    paybackDays: Double?
  ) {
    self.cac = cac
    self.firstOrderProfit = firstOrderProfit
    self.marginToDate = marginToDate
    self.clvToCAC = clvToCAC
    self.paybackDays = paybackDays
  }

  /// The economics of one customer.
  ///
  /// - Parameters:
  ///   - purchases: the customer's purchase days up to as-of, ascending, with each day's amount.
  ///   - asOf: the scoring day.
  ///   - cac: the customer's acquisition cost (nil: none known).
  ///   - margin: m.
  ///   - clv: the customer's CLV over the horizon (nil without a spend model).
  ///   - horizon: H, in model units.
  ///   - unitDays: the length of a model unit in days.
  ///   - expectedMargin: M(t) for t in [0, H] model units: continuous, non-decreasing in t
  ///     (for m ≥ 0), M(0) = 0; nil without a spend model (no payback from the future).
  /// - Complexity: O(purchases) and, when not yet paid back, a bisection of M (about 60
  ///   evaluations).
  public static func of(
    purchases: PurchaseLog.Purchases, asOf: Day, cac: Double?, margin: Double, clv: Double?,
    horizon: Double, unitDays: Double, expectedMargin: ((Double) -> Double)?
  ) -> AcquisitionEconomics {
    let first = purchases.days.first ?? asOf
    var cumulative = 0.0
    var paidBackDay: Day? = nil
    for (day, amount) in zip(purchases.days, purchases.amounts) where day <= asOf {
      cumulative += margin * amount
      if paidBackDay == nil, let cac, cumulative >= cac { paidBackDay = day }
    }
    let firstProfit = margin * (purchases.amounts.first ?? 0)
    var result = AcquisitionEconomics(
      cac: cac, firstOrderProfit: firstProfit, marginToDate: cumulative, clvToCAC: nil,
      paybackDays: nil)
    guard let cac else { return result }
    if cac > 0, let clv { result.clvToCAC = (cumulative + clv) / cac }
    if cac == 0 {
      result.paybackDays = 0
    } else if let paidBackDay {
      result.paybackDays = Double(paidBackDay - first)
    } else if let expectedMargin,
      let t = firstTime(
        where: expectedMargin, reaches: cac - cumulative, within: horizon)
    {
      // To the thousandth of a day (about a minute and a half): the bisection is far finer.
      result.paybackDays = ((Double(asOf - first) + t * unitDays) * 1000).rounded() / 1000
    }
    return result
  }

  /// The smallest t in (0, H] with f(t) ≥ `target` (f non-decreasing and continuous), to
  /// about 1e-12·H by bisection; nil when f(H) < target or f is not finite.
  static func firstTime(
    where f: (Double) -> Double, reaches target: Double, within horizon: Double
  ) -> Double? {
    guard horizon > 0 else { return nil }
    let end = f(horizon)
    guard end.isFinite, end >= target else { return nil }
    var (low, high) = (0.0, horizon)
    for _ in 0..<80 where high - low > horizon * 1e-12 {
      let middle = (low + high) / 2
      if f(middle) >= target { high = middle } else { low = middle }
    }
    return high
  }
}
