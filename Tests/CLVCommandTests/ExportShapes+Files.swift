import Foundation
import TestSupport

/// ERP and spreadsheet exports, and the file-level traps: zones, order, T = 0, one-time buyers,
/// duplicates, returns, currency, quoting, CRLF, BOM.
extension ExportShapes {
  /// A SAP-like ERP extract: `|` delimited, zero-padded customer numbers, `yyyyMMdd` dates,
  /// credit memos with a trailing minus (returns, ignored), sorted by customer.
  static func erp() -> ExportShape {
    var rng = SplitMix64(seed: 106)
    let purchases = purchases(seed: 6)
    var ids: [Int: String] = [:]
    let end = purchases.map(\.day).max()!
    var lines = ["BELNR|KUNNR|BLDAT|WAERS|DMBTR"]
    var credits = 0
    func compact(_ day: Int) -> String {
      let (y, m, d) = parts(day)
      return "\(y)\(two(m))\(two(d))"
    }
    let sorted = purchases.sorted { ($0.customer, $0.day) < ($1.customer, $1.day) }
    for (n, p) in sorted.enumerated() {
      ids[p.customer] = String(format: "%010d", p.customer)
      lines.append("90\(100_000 + n)|\(ids[p.customer]!)|\(compact(p.day))|EUR|\(plain(p.cents))")
      if rng.next() % 10 == 0, p.day + 1 <= end {
        credits += 1
        let memo = "\(compact(p.day + 1))|EUR|\(plain(min(p.cents, 500)))-"
        lines.append("70\(100_000 + n)|\(ids[p.customer]!)|\(memo)")
      }
    }
    return ExportShape(
      name: "erp", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--delimiter", "|", "--customer-column", "KUNNR", "--date-column", "BLDAT",
        "--amount-column", "DMBTR",
      ], ids: ids, purchases: purchases,
      notes: ["ignored \(credits) return row(s)"])
  }

  /// A German spreadsheet: `;` delimited, `dd.MM.yyyy`, decimal comma with `.` thousands and a
  /// trailing `€` on some amounts (amounts scaled so that many exceed 1,000).
  static func european() -> ExportShape {
    var rng = SplitMix64(seed: 107)
    var purchases = purchases(seed: 7)
    for i in purchases.indices { purchases[i].cents *= 40 }
    var ids: [Int: String] = [:]
    var lines = ["Kundennummer;Rechnungsdatum;Betrag"]
    for p in byDate(purchases) {
      ids[p.customer] = "K-\(p.customer)"
      let (y, m, d) = parts(p.day)
      let amount = grouped(p.cents, group: ".", mark: ",") + (rng.next() % 3 == 0 ? " €" : "")
      lines.append("\(ids[p.customer]!);\(two(d)).\(two(m)).\(y);\(amount)")
    }
    return ExportShape(
      name: "european", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--delimiter", ";", "--customer-column", "Kundennummer", "--date-column",
        "Rechnungsdatum", "--amount-column", "Betrag",
      ], ids: ids, purchases: purchases, notes: ["decimal comma"])
  }

  /// ISO 8601 timestamps with zones (`T`, `Z`, `±hh:mm`, fractional seconds); the purchase day
  /// is the date as written.
  static func isoZones() -> ExportShape {
    var rng = SplitMix64(seed: 108)
    let purchases = purchases(seed: 8)
    var ids: [Int: String] = [:]
    var lines = ["customer_id,created_at,amount"]
    for p in byDate(purchases) {
      ids[p.customer] = "u\(p.customer)"
      let zone = ["Z", "+01:00", "-05:00", ".250Z", "+05:30"][Int(rng.next() % 5)]
      lines.append("\(ids[p.customer]!),\(iso(p.day))T\(time(&rng))\(zone),\(plain(p.cents))")
    }
    return ExportShape(
      name: "iso-zones", text: lines.joined(separator: "\n") + "\n",
      options: ["--date-column", "created_at"], ids: ids, purchases: purchases)
  }

  /// The plain layout `customer_id,date,amount` from `purchases`, in the given row order.
  static func plainLines(
    _ purchases: [ExportShape.Purchase], ids: inout [Int: String]
  )
    -> [String]
  {
    var lines = ["customer_id,date,amount"]
    for p in purchases {
      ids[p.customer] = "c\(p.customer)"
      lines.append("c\(p.customer),\(iso(p.day)),\(plain(p.cents))")
    }
    return lines
  }

  /// Newest orders first (as many admin exports sort).
  static func newestFirst() -> ExportShape {
    let purchases = purchases(seed: 9)
    var ids: [Int: String] = [:]
    let lines = plainLines(byDate(purchases).reversed(), ids: &ids)
    return ExportShape(
      name: "newest-first", text: lines.joined(separator: "\n") + "\n", options: [], ids: ids,
      purchases: purchases, notes: ["out of date order"])
  }

  /// 30 customers whose first (and only) purchase is on the last day of the data: T = 0.
  static func zeroAge() -> ExportShape {
    var purchases = purchases(seed: 10)
    let end = purchases.map(\.day).max()!
    for k in 0..<30 { purchases.append(.init(customer: 1000 + k, day: end, cents: 1500 + k)) }
    var ids: [Int: String] = [:]
    let lines = plainLines(byDate(purchases), ids: &ids)
    return ExportShape(
      name: "zero-age", text: lines.joined(separator: "\n") + "\n", options: [], ids: ids,
      purchases: purchases)
  }

  /// Only one-time buyers: the purchase models cannot be identified.
  static func oneTimeBuyers() -> ExportShape {
    var seen = Set<Int>()
    let purchases = purchases(seed: 11).filter { seen.insert($0.customer).inserted }
    var ids: [Int: String] = [:]
    let lines = plainLines(byDate(purchases), ids: &ids)
    return ExportShape(
      name: "one-time-buyers", text: lines.joined(separator: "\n") + "\n", options: [],
      ids: ids, purchases: purchases, outcome: .cannotIdentify("nobody made a repeat purchase"))
  }

  /// A line-item export with exact duplicate lines (an export glitch), dropped by
  /// `--order-column`; amount = quantity × unit price.
  static func duplicates() -> ExportShape {
    var rng = SplitMix64(seed: 112)
    let purchases = purchases(seed: 12)
    var ids: [Int: String] = [:]
    var truth: [ExportShape.Purchase] = []
    var lines = ["order_id,customer_id,date,sku,quantity,unit_price"]
    var dropped = 0
    for (n, p) in byDate(purchases).enumerated() {
      ids[p.customer] = "c\(p.customer)"
      var total = 0
      for k in 0..<(1 + Int(rng.next() % 3)) {
        let quantity = 1 + Int(rng.next() % 4)
        let price = 100 + Int(rng.next() % 4000)
        total += quantity * price
        let text = line([
          "SO-\(n)", ids[p.customer]!, iso(p.day), "SKU\(k)", "\(quantity)", plain(price),
        ])
        lines.append(text)
        if rng.next() % 7 == 0 {
          lines.append(text)
          dropped += 1
        }
      }
      truth.append(.init(customer: p.customer, day: p.day, cents: total))
    }
    return ExportShape(
      name: "duplicate-lines", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--order-column", "order_id", "--quantity-column", "quantity", "--price-column",
        "unit_price",
      ], ids: ids, purchases: truth,
      notes: ["dropped \(dropped) exact duplicate line(s)"])
  }

  /// Refunds as rows with negative amounts a few days after the purchase (ignored by default).
  static func returns() -> ExportShape {
    var rng = SplitMix64(seed: 113)
    let purchases = purchases(seed: 13)
    let end = purchases.map(\.day).max()!
    var ids: [Int: String] = [:]
    var rows: [(day: Int, text: String)] = []
    var refunds = 0
    for p in purchases {
      ids[p.customer] = "c\(p.customer)"
      rows.append((p.day, "c\(p.customer),\(iso(p.day)),\(plain(p.cents)),sale"))
      if rng.next() % 6 == 0, p.day + 2 <= end {
        refunds += 1
        rows.append((p.day + 2, "c\(p.customer),\(iso(p.day + 2)),\(plain(-p.cents)),refund"))
      }
    }
    let sorted = rows.enumerated().sorted {
      ($0.element.day, $0.offset) < ($1.element.day, $1.offset)
    }
    let lines = ["customer_id,date,amount,type"] + sorted.map(\.element.text)
    return ExportShape(
      name: "returns", text: lines.joined(separator: "\n") + "\n", options: [], ids: ids,
      purchases: purchases, notes: ["ignored \(refunds) return row(s)"])
  }

  /// Currency symbols and codes with thousands separators: `"$1,234.56"`, `USD 12.50`.
  static func currency() -> ExportShape {
    var rng = SplitMix64(seed: 114)
    var purchases = purchases(seed: 14)
    for i in purchases.indices { purchases[i].cents *= 40 }
    var ids: [Int: String] = [:]
    var lines = ["customer_id,date,amount"]
    for p in byDate(purchases) {
      ids[p.customer] = "c\(p.customer)"
      let amount =
        rng.next() % 2 == 0
        ? "$" + grouped(p.cents, group: ",", mark: ".") : "USD " + plain(p.cents)
      lines.append(line(["c\(p.customer)", iso(p.day), amount]))
    }
    return ExportShape(
      name: "currency", text: lines.joined(separator: "\n") + "\n", options: [], ids: ids,
      purchases: purchases)
  }

  /// Customer names as ids with commas and quotes, and a free-text column with both (quoted,
  /// doubled quotes).
  static func quotedFields() -> ExportShape {
    let purchases = purchases(seed: 15)
    var ids: [Int: String] = [:]
    var lines = ["customer,order_date,total,notes"]
    for p in byDate(purchases) {
      ids[p.customer] =
        p.customer % 5 == 0 ? "O\"Brien, Pat \(p.customer)" : "Smith, J. \(p.customer)"
      lines.append(
        line([ids[p.customer]!, iso(p.day), plain(p.cents), "gift wrap, \"fragile\", thanks"]))
    }
    return ExportShape(
      name: "quoted-fields", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--customer-column", "customer", "--date-column", "order_date",
        "--amount-column", "total",
      ],
      ids: ids, purchases: purchases)
  }

  /// Windows line ends.
  static func crlf() -> ExportShape {
    let purchases = purchases(seed: 16)
    var ids: [Int: String] = [:]
    let lines = plainLines(byDate(purchases), ids: &ids)
    return ExportShape(
      name: "crlf", text: lines.joined(separator: "\r\n") + "\r\n", options: [], ids: ids,
      purchases: purchases)
  }

  /// A UTF-8 byte-order mark before the header (Excel's "CSV UTF-8").
  static func byteOrderMark() -> ExportShape {
    let purchases = purchases(seed: 17)
    var ids: [Int: String] = [:]
    let lines = plainLines(byDate(purchases), ids: &ids)
    return ExportShape(
      name: "bom", text: "\u{FEFF}" + lines.joined(separator: "\n") + "\n", options: [],
      ids: ids, purchases: purchases)
  }

  /// Every shape of the battery.
  static let all: [ExportShape] = [
    shopify(), wooCommerce(), magento(), onlineRetail(), olist(), erp(), european(), isoZones(),
    newestFirst(), zeroAge(), oneTimeBuyers(), duplicates(), returns(), currency(),
    quotedFields(), crlf(), byteOrderMark(),
  ]
}
