import CLVData
import CLVEvaluation
import CLVModels
import CLVNumerics
import CLVScoring
import Foundation

// The coverage check of `clv score --intervals` and `clv evaluate --intervals` (issue 17,
// part 1), release build: for each seed, N customers are drawn from BG/NBD with the CDNOW
// parameters of [FHL2005a] (weeks), each observed for T ~ U(26, 39) weeks; BG/NBD is fitted,
// and the 90% intervals (200 parameter draws) of
//   - the predicted total over a 39-week holdout, Σᵢ E[Y(39) | xᵢ, tₓᵢ, Tᵢ], and
//   - each customer's expected purchases E[Y(39) | x, tₓ, T]
// are compared with the same quantities at the true parameters (the estimand of a parameter
// interval: the model's expectation given the history, not the random purchases).
//
// Bands (stated before running; binomial standard errors over seeds, the seeds independent):
//   - totals: the number of covered seeds is binomial(S, level) when the coverage is nominal;
//     pass when it is within 3 standard errors, |covered/S − level| ≤ 3 √(level(1−level)/S).
//   - per customer: the per-seed share of covered customers is averaged over seeds; customers
//     of one seed share the estimate, so the standard error comes from the seeds' shares,
//     SE = sd(shares)/√S; pass when |mean − level| ≤ max(3 SE, 0.02).
//
// Then the speed: intervals of 1M customers' scores (BG/NBD and Gamma-Gamma, 200 draws).
//
// With --covariates, the same coverage check for BG/NBD with a two-level channel attribute
// (purchase coefficient 0.5, dropout_a 0.4, dropout_b 0; half the customers in each level),
// fitted with the attribute: the parameters and coefficients drawn together, each customer's
// interval and the total at their own θ(z), against the truth at their θ(z). Same bands.
//
// Usage: interval-check [--seeds S] [--customers N] [--level L] [--draws D] [--speed-only]
//        [--no-speed] [--covariates | --covariates-only]

struct Arguments {
  var seeds = 200
  var customers = 2000
  var level = 0.9
  var draws = 200
  var coverage = true
  var covariates = false
  var speed = true
  var speedCustomers = 1_000_000

  init(_ list: [String]) {
    var i = 0
    func value() -> String {
      i += 1
      guard i < list.count else {
        FileHandle.standardError.write(Data("interval-check: \(list[i - 1]) needs a value\n".utf8))
        exit(64)
      }
      return list[i]
    }
    while i < list.count {
      switch list[i] {
      case "--seeds": seeds = Int(value()) ?? seeds
      case "--customers": customers = Int(value()) ?? customers
      case "--level": level = Double(value()) ?? level
      case "--draws": draws = Int(value()) ?? draws
      case "--speed-customers": speedCustomers = Int(value()) ?? speedCustomers
      case "--speed-only": coverage = false
      case "--covariates": covariates = true
      case "--covariates-only":
        covariates = true
        coverage = false
        speed = false
      case "--no-speed": speed = false
      default:
        FileHandle.standardError.write(Data("interval-check: unknown option \(list[i])\n".utf8))
        exit(64)
      }
      i += 1
    }
  }
}

let truth = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
let holdout = 39.0

/// N customers of the BG/NBD process at `truth`, observed for T ~ U(26, 39) weeks.
func simulate(customers n: Int, seed: UInt64) -> RFMSummary {
  var rng = SeededGenerator(seed: seed)
  var rows: [RFMSummary.Row] = []
  rows.reserveCapacity(n)
  for i in 0..<n {
    let age = 26 + 13 * rng.uniform()
    var x = 0
    var last = 0.0
    truth.simulateRepeatPurchases(unitDays: 1, using: &rng) { clock, _ in
      guard clock <= age else { return false }
      x += 1
      last = clock
      return true
    }
    rows.append(
      RFMSummary.Row(customerID: "c\(i)", frequency: x, recency: last, age: age, monetaryValue: 0))
  }
  return RFMSummary(rows: rows, unit: .week)
}

func loadAverage() -> String {
  (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
    .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
}

func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

let arguments = Arguments(Array(CommandLine.arguments.dropFirst()))
var passed = true

/// The outcome of one seed: where the true total fell (−1 below, 0 inside, 1 above the
/// interval) and the share of customers whose interval covers their true expectation.
struct SeedOutcome {
  var total: Int
  var share: Double
}

/// Runs `seeds` seeds of `outcome` (nil: the fit failed) and prints the coverage against the
/// bands stated at the top; returns whether both pass.
func coverage(_ title: String, _ outcome: (UInt64) throws -> SeedOutcome?) throws -> Bool {
  let started = Date()
  var coveredTotals = 0
  var shares: [Double] = []
  var failedFits = 0
  var below = 0
  var above = 0
  for seed in 1...UInt64(arguments.seeds) {
    guard let result = try outcome(seed) else {
      failedFits += 1
      continue
    }
    switch result.total {
    case 0: coveredTotals += 1
    case ..<0: below += 1
    default: above += 1
    }
    shares.append(result.share)
  }
  let s = Double(shares.count)
  let level = arguments.level
  let totalShare = Double(coveredTotals) / s
  let totalBand = 3 * (level * (1 - level) / s).squareRoot()
  let mean = shares.reduce(0, +) / s
  let sd = (shares.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(s - 1, 1)).squareRoot()
  let customerBand = max(3 * sd / s.squareRoot(), 0.02)
  let totalsPass = abs(totalShare - level) <= totalBand
  let customersPass = abs(mean - level) <= customerBand
  print(
    "coverage of \(format(level, 2)) intervals (\(arguments.draws) draws), "
      + "\(shares.count) seeds × \(arguments.customers) customers, \(title), "
      + "39-week holdout (\(failedFits) fits failed)")
  print(
    "  predicted holdout total: \(coveredTotals) of \(shares.count) covered = "
      + "\(format(totalShare)) (band \(format(level)) ± \(format(totalBand)); true total "
      + "below \(below), above \(above)): \(totalsPass ? "pass" : "FAIL")")
  print(
    "  per-customer expected purchases: mean share covered \(format(mean)) (sd over seeds "
      + "\(format(sd)); band \(format(level)) ± \(format(customerBand))): "
      + "\(customersPass ? "pass" : "FAIL")")
  print(
    "  \(format(Date().timeIntervalSince(started), 1)) s, load average \(loadAverage())")
  return totalsPass && customersPass
}

/// Where `value` falls against an interval: −1 below, 0 inside, 1 above.
func position(_ value: Double, _ low: Double, _ high: Double) -> Int {
  value < low ? -1 : value > high ? 1 : 0
}

if arguments.coverage {
  passed =
    try coverage("BG/NBD at the CDNOW parameters") { seed in
      let summary = simulate(customers: arguments.customers, seed: seed)
      guard let model = try? BGNBD.fit(summary) else { return nil }
      let rows = summary.rows
      let trueTotal = rows.reduce(0.0) { $0 + truth.expectedPurchases(in: holdout, for: $1) }
      let total = try HoldoutEvaluation.predictedTotalInterval(
        model, rows: rows, durations: Array(repeating: holdout, count: rows.count),
        level: arguments.level, draws: arguments.draws, seed: seed)
      let request = try PredictionIntervals.Request.asymptotic(
        level: arguments.level, count: arguments.draws, seed: seed, model: model, spend: nil)
      let intervals = try PredictionIntervals(rows: rows, request: request, horizon: holdout)
      var covered = 0
      for (i, row) in rows.enumerated() {
        let expected = truth.expectedPurchases(in: holdout, for: row)
        if position(
          expected, intervals.expectedPurchases.low[i], intervals.expectedPurchases.high[i])
          == 0
        {
          covered += 1
        }
      }
      return SeedOutcome(
        total: position(trueTotal, total.low, total.high),
        share: Double(covered) / Double(rows.count))
    } && passed
}

if arguments.covariates {
  // BG/NBD with a two-level channel attribute (half the customers on the web): purchase
  // coefficient 0.5, dropout_a 0.4, dropout_b 0 at the CDNOW base parameters; fitted with the
  // attribute, parameters and coefficients drawn together, each customer at θ(z).
  let design = try CovariateDesign.learn(
    from: CustomerAttributes(csv: "customer_id,channel\na,store\nb,web\n", file: "channel.csv"),
    purchase: ["channel"], dropout: ["channel"], fill: false, model: "BG/NBD")
  let covariateTruth = StaticCovariateModel(
    base: truth, design: design, coefficients: [[0.5], [0.4], [0]])
  passed =
    try coverage("BG/NBD with a channel covariate (purchase 0.5, dropout_a 0.4)") { seed in
      var rng = SeededGenerator(seed: seed)
      var rows: [RFMSummary.Row] = []
      var vectors: [[Double]] = []
      for i in 0..<arguments.customers {
        let z: [Double] = [rng.uniform() < 0.5 ? 1 : 0]
        let age = 26 + 13 * rng.uniform()
        var x = 0
        var last = 0.0
        covariateTruth.model(for: z).simulateRepeatPurchases(unitDays: 1, using: &rng) {
          clock, _ in
          guard clock <= age else { return false }
          x += 1
          last = clock
          return true
        }
        rows.append(
          RFMSummary.Row(
            customerID: "c\(i)", frequency: x, recency: last, age: age, monetaryValue: 0))
        vectors.append(z)
      }
      guard
        let model = try? StaticCovariateModel<BGNBD>.fit(
          rows, covariates: vectors, design: design)
      else { return nil }
      let expected = zip(rows, vectors).map {
        covariateTruth.model(for: $1).expectedPurchases(in: holdout, for: $0)
      }
      let total = try HoldoutEvaluation.predictedTotalInterval(
        model, covariates: vectors, rows: rows,
        durations: Array(repeating: holdout, count: rows.count), level: arguments.level,
        draws: arguments.draws, seed: seed)
      let request = try PredictionIntervals.Request.asymptotic(
        level: arguments.level, count: arguments.draws, seed: seed, covariateModel: model,
        spend: nil)
      let intervals = try PredictionIntervals(
        rows: rows, request: request, covariates: vectors, horizon: holdout)
      let covered = rows.indices.filter {
        position(
          expected[$0], intervals.expectedPurchases.low[$0], intervals.expectedPurchases.high[$0])
          == 0
      }.count
      return SeedOutcome(
        total: position(expected.reduce(0, +), total.low, total.high),
        share: Double(covered) / Double(rows.count))
    } && passed
}

if arguments.speed {
  // 1M customers of the same process over two years of acquisition (CDNOW-like spend), fitted,
  // then the intervals of every score as `clv score --intervals 0.9` computes them.
  let n = arguments.speedCustomers
  var rng = SeededGenerator(seed: 2026)
  var rows: [RFMSummary.Row] = []
  rows.reserveCapacity(n)
  let spendTruth = GammaGamma(p: 6.25, q: 3.74, gamma: 15.44)
  for i in 0..<n {
    // Acquired on a whole day in the first 52 weeks, observed to week 104: T in days / 7.
    let age = Double(364 + Int(rng.next() % 364)) / 7
    var x = 0
    var last = 0.0
    truth.simulateRepeatPurchases(unitDays: 1, using: &rng) { clock, _ in
      guard clock <= age else { return false }
      x += 1
      last = (clock * 7).rounded(.down) / 7
      return true
    }
    var money = 0.0
    if x > 0 {
      let nu = rng.gamma(shape: spendTruth.q, rate: spendTruth.gamma)
      var sum = 0.0
      for _ in 0..<x { sum += rng.gamma(shape: spendTruth.p, rate: nu) }
      money = (sum / Double(x) * 100).rounded() / 100
    }
    rows.append(
      RFMSummary.Row(
        customerID: "c\(i)", frequency: x, recency: last, age: age, monetaryValue: money))
  }
  let summary = RFMSummary(rows: rows, unit: .week)
  let model = try BGNBD.fit(summary)
  let spend = try GammaGamma.fit(summary)
  let load = loadAverage()
  let clock = ContinuousClock()
  let start = clock.now
  let request = try PredictionIntervals.Request.asymptotic(
    level: 0.9, count: arguments.draws, seed: 1, model: model, spend: spend)
  let intervals = try PredictionIntervals(rows: rows, request: request, horizon: 52)
  let seconds = (clock.now - start) / .seconds(1)
  var distinct = Set<[UInt64]>()
  for row in rows {
    distinct.insert([
      UInt64(row.frequency), row.recency.bitPattern, row.age.bitPattern,
      row.monetaryValue.bitPattern,
    ])
  }
  print(
    "speed: intervals of \(n) customers (\(distinct.count) distinct rows), BG/NBD + "
      + "Gamma-Gamma, \(arguments.draws) draws, 52 weeks, discount 0: \(format(seconds, 2)) s "
      + "wall (load average before \(load), after \(loadAverage())); "
      + "\(intervals.expectedPurchases.low.count) rows")
}

exit(passed ? 0 : 1)
