import CLVData

extension AcquisitionEconomics {
  /// One customer's ``AcquisitionEconomics`` with the predicted CLV behind its `clv_to_cac`
  /// (a row of `clv score --cac`; ``readScored(path:)``).
  public struct Scored: Sendable, Equatable {
    public var economics: AcquisitionEconomics
    /// The CLV over the scoring horizon (margin applied, discounted as scored).
    public var clv: Double

    public init(economics: AcquisitionEconomics, clv: Double) {
      self.economics = economics
      self.clv = clv
    }
  }

  /// The acquisition economics of a group of customers (an acquisition cohort, a channel):
  /// the per-customer values of ``AcquisitionEconomics`` pooled over the n customers of the
  /// group that have a CAC.
  ///
  ///     mean_cac                Σ cac / n
  ///     mean_first_order_profit Σ first_order_profit / n
  ///     mean_margin_to_date     Σ margin_to_date / n
  ///     mean_clv                Σ clv / n
  ///     clv_to_cac              (Σ margin_to_date + Σ clv) / Σ cac     (nil when Σ cac = 0)
  ///     median_payback_days     the median of payback_days, a customer not paid back within
  ///                             the horizon counting as +∞ (nil when that median is +∞)
  ///     paid_back_share         customers with a payback_days / n
  ///
  /// The ratio is of sums (the group's lifetime margin over what acquiring it cost), not a
  /// mean of per-customer ratios: it is the ratio a budget is judged on, and one cheap
  /// customer cannot dominate it; per customer it is ``AcquisitionEconomics/clvToCAC``
  /// ([GUP2006] eq. (1): value net of acquisition cost, here as a ratio). The median payback
  /// keeps the customers not paid back in the count, so that it does not shrink by leaving
  /// them out. Product decisions: pooling by sums, the median, customers without a CAC left
  /// out.
  public struct Summary: Sendable, Equatable {
    /// n: customers of the group with a CAC.
    public var customers: Int
    public var meanCAC: Double
    public var meanFirstOrderProfit: Double
    public var meanMarginToDate: Double
    public var meanCLV: Double
    public var clvToCAC: Double?
    /// nil when half or more of the customers are not paid back within the horizon (or, when
    /// pooled from other summaries by ``pooled(_:)``, always: medians do not pool).
    public var medianPaybackDays: Double?
    public var paidBackShare: Double

    public init(
      customers: Int, meanCAC: Double, meanFirstOrderProfit: Double, meanMarginToDate: Double,
      meanCLV: Double, clvToCAC: Double?, medianPaybackDays: Double?, paidBackShare: Double
    ) {
      self.customers = customers
      self.meanCAC = meanCAC
      self.meanFirstOrderProfit = meanFirstOrderProfit
      self.meanMarginToDate = meanMarginToDate
      self.meanCLV = meanCLV
      self.clvToCAC = clvToCAC
      self.medianPaybackDays = medianPaybackDays
      self.paidBackShare = paidBackShare
    }

    /// The summary of `group`; customers without a CAC are left out. nil when none has one.
    public init?(_ group: [Scored]) {
      let priced = group.filter { $0.economics.cac != nil }
      guard !priced.isEmpty else { return nil }
      let n = Double(priced.count)
      var (cac, first, toDate, clv, paidBack) = (0.0, 0.0, 0.0, 0.0, 0)
      var payback: [Double] = []
      payback.reserveCapacity(priced.count)
      for customer in priced {
        let e = customer.economics
        cac += e.cac!
        first += e.firstOrderProfit
        toDate += e.marginToDate
        clv += customer.clv
        if e.paybackDays != nil { paidBack += 1 }
        payback.append(e.paybackDays ?? .infinity)
      }
      let median = Median.of(&payback)
      self.init(
        customers: priced.count, meanCAC: cac / n, meanFirstOrderProfit: first / n,
        meanMarginToDate: toDate / n, meanCLV: clv / n,
        clvToCAC: cac > 0 ? (toDate + clv) / cac : nil,
        medianPaybackDays: median.flatMap { $0.isFinite ? $0 : nil },
        paidBackShare: Double(paidBack) / n)
    }

    /// The summary of the union of disjoint groups: means weighted by customers, the ratio of
    /// the pooled sums; no median (medians do not pool). nil when `parts` is empty.
    public static func pooled(_ parts: [Summary]) -> Summary? {
      let total = parts.map(\.customers).reduce(0, +)
      guard total > 0 else { return nil }
      func mean(_ value: (Summary) -> Double) -> Double {
        parts.map { Double($0.customers) * value($0) }.reduce(0, +) / Double(total)
      }
      let cac = mean(\.meanCAC)
      let lifetime = mean(\.meanMarginToDate) + mean(\.meanCLV)
      return Summary(
        customers: total, meanCAC: cac, meanFirstOrderProfit: mean(\.meanFirstOrderProfit),
        meanMarginToDate: mean(\.meanMarginToDate), meanCLV: mean(\.meanCLV),
        clvToCAC: cac > 0 ? lifetime / cac : nil, medianPaybackDays: nil,
        paidBackShare: mean(\.paidBackShare))
    }
  }
}
