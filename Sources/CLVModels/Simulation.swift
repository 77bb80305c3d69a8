import CLVData
import CLVNumerics

/// Order logs drawn from the models' own generative processes.
public enum Simulation {
  /// The day of a purchase at continuous time `clock` (days after the first purchase, which
  /// happened `offset` ∈ (0, 1) days into its day `first`): first + ⌊offset + clock⌋, at least
  /// the day after `previous` and at most `end`; nil when clock > end − first (not observed).
  static func purchaseDay(
    first: Day, offset: Double, clock: Double, previous: Day, end: Day
  )
    -> Day?
  {
    guard clock.isFinite, clock <= Double(end - first) else { return nil }
    let day = min(max(first + Int((offset + clock).rounded(.down)), previous + 1), end)
    return day > previous ? day : nil
  }

  /// A campaign sent to a random share (a half by default) of the customers acquired before
  /// `start`, the others its control group (`controlShare`): a treated
  /// customer who would not have bought from `start` to `end` buys once in that window, on a
  /// uniform day, with probability `uplift` (a win-back offer that brings some lapsed
  /// customers back and leaves the others as they were).
  ///
  /// The effect on the window's purchase rate is therefore uplift × (1 − the rate without the
  /// offer); the realised effect of a simulation is ``Assignment/converted`` customers over the
  /// treated ones. A product decision for testing readouts, not a model of response.
  ///
  /// With `groups`, the campaign is sent to a given list instead: the customers (numbers from
  /// 1) it marks true are treated, those it marks false are its control group, and customers
  /// not in it are left out (no assignment is reported for them).
  public struct Treatment: Sendable, Equatable {
    public var uplift: Double
    public var start: Day
    public var end: Day
    /// A list's groups by customer number (true: treatment); nil for random groups.
    public var groups: [Int: Bool]?
    /// Without `groups`: the probability that an eligible customer is in the control group
    /// (0 < share < 1; 0.5: halves, the groups drawn as before this option existed).
    public var controlShare: Double
    /// Mixed into the simulation's seed for the treatment's own generator.
    static let seedMix: UInt64 = 0x5EED_C0DE_CAFE_F00D
    public init(
      uplift: Double, start: Day, end: Day, groups: [Int: Bool]? = nil, controlShare: Double = 0.5
    ) {
      self.uplift = uplift
      self.start = start
      self.end = end
      self.groups = groups
      self.controlShare = controlShare
    }
  }

  /// One eligible customer's group and whether the treatment made them buy.
  public struct Assignment: Sendable, Equatable {
    public var customer: Int
    public var treated: Bool
    /// True when the treatment added a purchase (the customer would not have bought).
    public var converted: Bool
  }

  /// What to simulate. Rates and scales are in `unit` (α, β in `unit`s).
  public struct Settings: Sendable {
    public var customers: Int
    public var seed: UInt64
    /// The model whose generative process draws each customer's repeat purchases.
    public var process: any SimulatedPurchaseProcess
    /// Gamma-Gamma spend per purchase; nil → every order has amount 0.
    public var spend: GammaGamma?
    public var unit: TimeUnit
    /// First possible acquisition day.
    public var start: Day
    /// Customers are acquired uniformly on the days start ..< start + acquisitionDays.
    public var acquisitionDays: Int
    /// Observation covers start ..< start + days (the last observed day is start + days − 1).
    public var days: Int
    /// A campaign's effect on the treatment group of the customers (nil: none).
    public var treatment: Treatment?
    /// Customer attributes of known effect: each customer's purchases are drawn from the
    /// covariate model at their attributes instead of from `process` (nil: none).
    public var covariates: SimulatedCovariates?

    public init(
      customers: Int, seed: UInt64 = 1, process: any SimulatedPurchaseProcess,
      spend: GammaGamma? = nil,
      unit: TimeUnit = .week, start: Day, acquisitionDays: Int = 90, days: Int = 730,
      treatment: Treatment? = nil
    ) {
      self.treatment = treatment
      self.customers = customers
      self.seed = seed
      self.process = process
      self.spend = spend
      self.unit = unit
      self.start = start
      self.acquisitionDays = acquisitionDays
      self.days = days
    }

    /// The last observed day.
    public var observationEnd: Day { start + (days - 1) }
  }

  /// Simulates the customers one by one and passes each order (customer number from 1, day,
  /// amount rounded to cents) to `body`, in customer then date order.
  ///
  /// Per customer: an acquisition day d₀ (uniform), the first purchase at a uniform time u of
  /// that day (time 0); a purchase rate λ ~ gamma(r, α) per unit, turned into days; purchases
  /// at continuous times t with exponential(λ) gaps, observed iff t ≤ T = end − d₀ days (the
  /// summary's T, so counts are exact) and recorded on day d₀ + ⌊u + t⌋ (whose mean over u is
  /// d₀ + t: recency is unbiased), moved to the next day when that day already has a purchase
  /// (the summaries count purchase days: merging same-day purchases would lose purchases and
  /// bias the fit); dropout as the model's ``SimulatedPurchaseProcess`` says (after purchases
  /// for BG/NBD and MBG/NBD, at an exponential lifetime for Pareto/NBD); purchases after the
  /// last observed day are not recorded. Spend per purchase z ~ gamma(p, ν) with
  /// ν ~ gamma(q, γ) per customer (γ exp(δ z) with a simulated attribute's spend effect δ,
  /// ``SimulatedCovariates/spendCoefficient``).
  ///
  /// - Source: [FHL2005a] section 3 (BG/NBD), [BDF2007] (MBG/NBD), [SMC1987] (Pareto/NBD),
  ///   [FH2013] (Gamma-Gamma).
  public static func orders(
    _ settings: Settings, _ body: (_ customer: Int, _ day: Day, _ amount: Double) throws -> Void
  ) rethrows {
    try orders(settings, assignments: { _ in }, body)
  }

  /// As ``orders(_:_:)``, and with a ``Settings/treatment`` the treatment of each eligible
  /// customer passed to `assignments` before the customer's orders. Without a treatment the
  /// orders are the same; with one, the untreated process is the same and the treatment only
  /// adds orders (it draws from a generator of its own).
  public static func orders(
    _ settings: Settings, assignments: (_ assignment: Assignment) throws -> Void,
    _ body: (_ customer: Int, _ day: Day, _ amount: Double) throws -> Void
  ) rethrows {
    if let covariates = settings.covariates {
      precondition(covariates.vectors.count >= settings.customers, "attributes for every customer")
    }
    var rng = SeededGenerator(seed: settings.seed)
    var treatmentRNG = SeededGenerator(seed: settings.seed ^ Treatment.seedMix)
    let unitDays = settings.unit.days
    let end = settings.observationEnd
    var purchases: [(day: Day, amount: Double)] = []
    for customer in 1...max(settings.customers, 1) where settings.customers > 0 {
      purchases.removeAll(keepingCapacity: true)
      let first = settings.start + Int(rng.next() % UInt64(max(settings.acquisitionDays, 1)))
      var nu = 0.0
      if let spend = settings.spend {
        let scale = settings.covariates?.spendScale(customer: customer) ?? 1
        nu = rng.gamma(shape: spend.q, rate: spend.gamma * scale)
      }
      func amount(_ rng: inout SeededGenerator) -> Double {
        guard let spend = settings.spend else { return 0 }
        return (rng.gamma(shape: spend.p, rate: nu) * 100).rounded() / 100
      }
      purchases.append((first, amount(&rng)))
      var day = first
      let offset = rng.uniform()
      let process = settings.covariates?.process(customer: customer) ?? settings.process
      process.simulateRepeatPurchases(unitDays: unitDays, using: &rng) { clock, rng in
        guard
          let next = purchaseDay(
            first: first, offset: offset, clock: clock, previous: day, end: end)
        else { return false }
        day = next
        purchases.append((day, amount(&rng)))
        return true
      }
      if let treatment = settings.treatment, first < treatment.start,
        treatment.groups == nil || treatment.groups?[customer] != nil
      {
        let drawn = treatmentRNG.uniform() < 1 - treatment.controlShare
        let treated = treatment.groups?[customer] ?? drawn
        let convert = treatmentRNG.uniform() < treatment.uplift
        let last = min(treatment.end, end)
        let offset = Int(treatmentRNG.next() % UInt64(max(last - treatment.start + 1, 1)))
        let boughtAnyway = purchases.contains { $0.day >= treatment.start && $0.day <= last }
        let converted = treated && convert && !boughtAnyway && treatment.start <= last
        if converted {
          let extra = (day: treatment.start + offset, amount: amount(&treatmentRNG))
          let index = purchases.firstIndex { $0.day > extra.day } ?? purchases.count
          purchases.insert(extra, at: index)
        }
        try assignments(Assignment(customer: customer, treated: treated, converted: converted))
      }
      for purchase in purchases { try body(customer, purchase.day, purchase.amount) }
    }
  }
}

/// A purchase model that draws customers from its own generative process, for
/// ``Simulation/orders(_:_:)``: the model says how one customer's repeat purchases arise; the
/// simulator does the rest (acquisition day, purchase days, spend). A registered model that
/// conforms is offered by `clv simulate` (``ModelDescriptor/simulates``): adding one touches
/// its own folder, not the simulator.
public protocol SimulatedPurchaseProcess: Sendable {
  /// Draws one customer's latent traits and repeat purchases from `rng`, calling `purchase`
  /// with the time of each repeat purchase in days after the first purchase, in increasing
  /// order, and the generator (for the draws the simulator makes per purchase, such as its
  /// spend); `purchase` returns false when the purchase falls after the observation end, which
  /// ends the customer. `unitDays` is the length of the model's time unit in days (its rates are
  /// per unit).
  func simulateRepeatPurchases(
    unitDays: Double, using rng: inout SeededGenerator,
    _ purchase: (_ clock: Double, _ rng: inout SeededGenerator) throws -> Bool
  ) rethrows
}
