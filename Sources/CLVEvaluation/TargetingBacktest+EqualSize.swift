import CLVData
import CLVNumerics

extension TargetingBacktest {
  /// The replenishment rules compared at one list size: a smaller list that keeps only the
  /// likeliest buyers has a higher rate by construction, so "beats the naive rule" means
  /// something only when both lists have as many customers.
  ///
  ///     N            the smaller of the list's and the naive rule's sizes
  ///     list         the replenishment list cut to N by its own criterion: P(s) descending,
  ///                  then the due date closest to D
  ///     naive        the naive mean-gap rule cut to N by its own criterion: its due date
  ///                  closest to D
  ///     rate alone   the N customers not lapsed with the highest P(s), due or not: what the
  ///                  replayed purchase rate does without any timing
  ///     model        the N customers not lapsed with the highest P(at least one purchase in
  ///                  the window | history) of the run's purchase model, due or not (with the
  ///                  regular timing of the CNBD-k models when one of them is the model,
  ///                  [PR2016]); nil without a model
  ///     random       a random list of N customers not lapsed: expected rate = all active's
  ///                  rate p, 95% of such lists within ± 1.96 √(p (1 − p) / N)
  ///
  /// Remaining ties are broken at random, by a seeded generator over the customers in id order
  /// (the same input gives the same lists).
  ///
  /// - Source: comparing selection rules at equal depth of file (the same number of customers
  ///   mailed), against a random selection of that depth, is the gains-chart comparison of
  ///   database marketing ([BKN2008]); the binomial margin is the normal approximation of a
  ///   proportion's sampling error. The rankings used to cut each list are product decisions.
  public struct EqualSize: Codable, Sendable, Equatable {
    /// N, the size both lists are cut to.
    public var customers: Int
    /// The replenishment list's top N.
    public var list: Group
    /// The naive mean-gap rule's top N.
    public var naive: Group
    /// The N customers not lapsed with the highest replayed purchase rate, due or not.
    public var rateAlone: Group
    /// The N customers not lapsed with the highest P(at least one purchase in the window) of
    /// the purchase model named by `model`; nil without a model (and in run files written
    /// before it was recorded).
    public var modelProbability: Group?
    /// The purchase model of `modelProbability` (a registry id).
    public var model: String?
    /// Half the width of the 95% interval of a random list of N customers not lapsed; nil for
    /// N = 0.
    public var randomMargin: Double?
  }

  /// One customer not lapsed at D, as the rankings of ``EqualSize`` see them.
  struct Candidate {
    /// Bought in the judged window.
    var bought: Bool
    /// P(s) of the customer's state; nil without a cycle.
    var rate: Double?
    /// The purchase model's P(at least one purchase in the window).
    var modelProbability: Double?
    /// |due − D| by the shrunk cycle when the replenishment list holds the customer.
    var listedDistance: Int?
    /// |due − D| by the own mean gap when the naive rule picks the customer.
    var naiveDistance: Int?
    /// The random tie-break.
    var tie: UInt64 = 0
  }

  /// The seed of the random tie-break.
  static let equalSizeSeed: UInt64 = 0x5EED_0014

  /// ``EqualSize`` of `candidates` (the customers not lapsed, in customer-id order);
  /// `allActive` is their group.
  static func equalSize(
    _ candidates: [Candidate], allActive: Group, model: String? = nil
  ) -> EqualSize {
    var generator = SeededGenerator(seed: equalSizeSeed)
    var candidates = candidates
    for index in candidates.indices { candidates[index].tie = generator.next() }
    let listed = candidates.filter { $0.listedDistance != nil }
    let naive = candidates.filter { $0.naiveDistance != nil }
    let n = min(listed.count, naive.count)
    func top(_ group: [Candidate], by key: (Candidate) -> (Double, Double)) -> Group {
      let ranked = group.sorted { a, b in
        let (ka, kb) = (key(a), key(b))
        if ka.0 != kb.0 { return ka.0 < kb.0 }
        if ka.1 != kb.1 { return ka.1 < kb.1 }
        return a.tie < b.tie
      }
      let kept = ranked.prefix(n)
      return Group(customers: kept.count, purchasers: kept.filter(\.bought).count)
    }
    let margin = allActive.rate.flatMap { p in
      n > 0 ? 1.959_963_984_540_054 * (p * (1 - p) / Double(n)).squareRoot() : nil
    }
    return EqualSize(
      customers: n,
      list: top(listed) { (-($0.rate ?? 0), Double($0.listedDistance ?? 0)) },
      naive: top(naive) { (Double($0.naiveDistance ?? 0), 0) },
      rateAlone: top(candidates.filter { $0.rate != nil }) { (-($0.rate ?? 0), 0) },
      modelProbability: model == nil
        ? nil
        : top(candidates.filter { $0.modelProbability != nil }) {
          (-($0.modelProbability ?? 0), 0)
        },
      model: model,
      randomMargin: margin)
  }
}
