import CLVData
import CLVModels
import Foundation
import TestSupport

/// Order logs in the shapes real shops export (Shopify, WooCommerce, Magento, UCI Online
/// Retail, Olist, an ERP, European spreadsheets, …), each written from a ground truth that the
/// test keeps: the purchases (customer, day, amount in cents) and the noise rows that must not
/// count (cancellations, returns, duplicate lines, guest orders). The expected summaries are
/// computed from that ground truth (``ExportShape/expected``), never by reading the file back.
struct ExportShape: Sendable, CustomStringConvertible {
  /// One purchase of the ground truth: what the customer paid on a day (one order or several).
  struct Purchase: Sendable {
    var customer: Int
    var day: Int  // days since 1970-01-01
    var cents: Int
  }

  /// The summary the file must give for one customer, as lifetimes defines it: frequency =
  /// purchase days after the first; recency, T = days from the first purchase day to the last
  /// one / to the observation end, divided by 7; monetary value = mean amount of the repeat
  /// purchase days (0 without one).
  struct Expected: Sendable {
    var frequency: Int
    var recency: Double
    var age: Double
    var monetaryValue: Double
  }

  enum Outcome: Sendable {
    /// summarize, train (bgnbd, pnbd, gamma-gamma), score and target succeed.
    case fits
    /// The purchase models cannot be identified (nobody bought twice): train exits 65 with
    /// this message.
    case cannotIdentify(String)
  }

  var name: String
  /// The file's bytes.
  var text: String
  /// The documented options for this export (notebooks-md/guides/input-formats.md).
  var options: [String]
  /// The customers' ids as the file writes them, by ground-truth customer number.
  var ids: [Int: String]
  var purchases: [Purchase]
  /// Texts `clv summarize` must say on stderr (counts of dropped noise).
  var notes: [String] = []
  var outcome: Outcome = .fits

  var description: String { name }

  /// The expected summaries by customer id; the observation end is the last purchase day.
  var expected: [String: Expected] {
    var days: [Int: [Int: Int]] = [:]  // customer → day → cents
    for p in purchases { days[p.customer, default: [:]][p.day, default: 0] += p.cents }
    let end = purchases.map(\.day).max() ?? 0
    var result: [String: Expected] = [:]
    for (customer, byDay) in days {
      let sorted = byDay.keys.sorted()
      let first = sorted[0]
      let repeats = sorted.dropFirst()
      let money =
        repeats.isEmpty
        ? 0 : Double(repeats.map { byDay[$0]! }.reduce(0, +)) / 100 / Double(repeats.count)
      result[ids[customer]!] = Expected(
        frequency: repeats.count, recency: Double(sorted.last! - first) / 7,
        age: Double(end - first) / 7, monetaryValue: money)
    }
    return result
  }
}

/// The ground truth and the text helpers shared by the shapes.
enum ExportShapes {
  /// Purchases drawn by clvkit's seeded Pareto/NBD + Gamma-Gamma simulator (CDNOW's Pareto/NBD
  /// estimates [FHL2005a] with a shorter mean time between purchases, α = 6 weeks instead of
  /// 10.6, so that a year of 300 customers has enough repeat buyers for every fit; acquired over
  /// 180 days, a year observed from `start`): one purchase per customer and day, in cents.
  static func purchases(
    seed: UInt64, start: String = "2024-01-01", customers: Int = 300
  )
    -> [ExportShape.Purchase]
  {
    let settings = Simulation.Settings(
      customers: customers, seed: seed,
      process: ParetoNBD(r: 0.553, alpha: 6, s: 0.606, beta: 11.669),
      spend: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: .week,
      start: Day(iso: start)!, acquisitionDays: 180, days: 365)
    var result: [ExportShape.Purchase] = []
    Simulation.orders(settings) { customer, day, amount in
      result.append(
        .init(
          customer: customer, day: day.daysSinceEpoch,
          cents: max(1, Int((amount * 100).rounded()))))
    }
    return result
  }

  /// Purchases in date order (customer number breaking ties).
  static func byDate(_ purchases: [ExportShape.Purchase]) -> [ExportShape.Purchase] {
    purchases.sorted { ($0.day, $0.customer) < ($1.day, $1.customer) }
  }

  /// Calendar parts of a day number (UTC, proleptic Gregorian), by Foundation.
  static func parts(_ day: Int) -> (year: Int, month: Int, day: Int) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = Date(timeIntervalSince1970: Double(day) * 86_400)
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return (c.year!, c.month!, c.day!)
  }

  static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  /// `yyyy-MM-dd`.
  static func iso(_ day: Int) -> String {
    let (y, m, d) = parts(day)
    return "\(y)-\(two(m))-\(two(d))"
  }

  /// A time of day from a seeded generator: `HH:mm:ss`.
  static func time(_ rng: inout SeededGenerator) -> String {
    "\(two(Int(rng.next() % 24))):\(two(Int(rng.next() % 60))):\(two(Int(rng.next() % 60)))"
  }

  /// Cents as `1234.56` (point, no grouping).
  static func plain(_ cents: Int) -> String {
    let sign = cents < 0 ? "-" : ""
    let m = abs(cents)
    return "\(sign)\(m / 100).\(two(m % 100))"
  }

  /// Cents with a thousands separator and decimal mark: `1,234.56` or `1.234,56`.
  static func grouped(_ cents: Int, group: String, mark: String) -> String {
    var whole = String(abs(cents) / 100)
    var groups: [String] = []
    while whole.count > 3 {
      groups.insert(String(whole.suffix(3)), at: 0)
      whole = String(whole.dropLast(3))
    }
    groups.insert(whole, at: 0)
    return (cents < 0 ? "-" : "") + groups.joined(separator: group) + mark + two(abs(cents) % 100)
  }

  /// A CSV field, quoted when it holds a comma, quote or line break.
  static func csv(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A line of CSV fields.
  static func line(_ fields: [String]) -> String { fields.map(csv).joined(separator: ",") }

  /// Splits `amount` cents into `parts` positive parts that sum to it (when it can).
  static func split(_ cents: Int, parts: Int, _ rng: inout SeededGenerator) -> [Int] {
    guard parts > 1, cents >= parts else { return [cents] }
    var cuts = (0..<(parts - 1)).map { _ in 1 + Int(rng.next() % UInt64(cents - 1)) }.sorted()
    cuts = [0] + cuts + [cents]
    let result = zip(cuts.dropFirst(), cuts).map { $0 - $1 }
    return result.contains(0) ? [cents] : result
  }
}
