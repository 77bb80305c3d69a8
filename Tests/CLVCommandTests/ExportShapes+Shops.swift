import Foundation
import TestSupport

/// Shop-system exports: Shopify, WooCommerce, Magento, UCI Online Retail, Olist.
extension ExportShapes {
  /// Shopify's orders export: one row per line item, order `Name` `#1001`, `Email`, `Created at`
  /// with a zone offset, and the order `Total` (what the customer paid, shipping and discounts
  /// included) on the first line of an order only; later lines leave `Email`, `Created at` and
  /// `Total` empty.
  static func shopify() -> ExportShape {
    var rng = SplitMix64(seed: 101)
    let purchases = purchases(seed: 1)
    var ids: [Int: String] = [:]
    var lines = [
      "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Total"
    ]
    for (n, p) in byDate(purchases).enumerated() {
      let email = "shopper\(p.customer)@example.com"
      ids[p.customer] = email
      let zone = ["-0500", "+0100", "+0000", "-0800"][Int(rng.next() % 4)]
      let items = 1 + Int(rng.next() % 3)
      for item in 0..<items {
        let quantity = 1 + Int(rng.next() % 3)
        let price = plain(100 + Int(rng.next() % 5000))
        let product = item == 1 ? "Mug, large" : "T-shirt"
        let first = item == 0
        lines.append(
          line([
            "#\(1001 + n)", first ? email : "", first ? "paid" : "",
            first ? "\(iso(p.day)) \(time(&rng)) \(zone)" : "", "\(quantity)", product, price,
            first ? plain(p.cents) : "",
          ]))
      }
    }
    return ExportShape(
      name: "shopify", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--order-column", "Name", "--customer-column", "Email", "--date-column", "Created at",
        "--amount-column", "Total",
      ], ids: ids, purchases: purchases)
  }

  /// WooCommerce's order export: every field quoted, `Order Date` `yyyy-MM-dd HH:mm`, numeric
  /// customer ids, and some purchase days made of two orders (one purchase, amounts summed).
  static func wooCommerce() -> ExportShape {
    var rng = SplitMix64(seed: 102)
    let purchases = purchases(seed: 2)
    var ids: [Int: String] = [:]
    let header = [
      "Order Number", "Order Status", "Order Date", "Customer User ID", "Billing First Name",
      "Order Total Amount",
    ]
    var lines = [header.map { "\"\($0)\"" }.joined(separator: ",")]
    var number = 5000
    for p in byDate(purchases) {
      ids[p.customer] = "\(40 + p.customer)"
      let parts = rng.next() % 5 == 0 ? split(p.cents, parts: 2, &rng) : [p.cents]
      for cents in parts {
        number += 1
        let clock = String(time(&rng).prefix(5))
        let fields = [
          "\(number)", "wc-completed", "\(iso(p.day)) \(clock)", ids[p.customer]!, "Alex",
          plain(cents),
        ]
        lines.append(fields.map { "\"\($0)\"" }.joined(separator: ","))
      }
    }
    return ExportShape(
      name: "woocommerce", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--customer-column", "Customer User ID", "--date-column", "Order Date",
        "--amount-column", "Order Total Amount",
      ], ids: ids, purchases: purchases)
  }

  /// Magento 2's sales order grid: `increment_id` with leading zeros, `created_at`
  /// `yyyy-MM-dd HH:mm:ss`, `grand_total` with four decimals.
  static func magento() -> ExportShape {
    var rng = SplitMix64(seed: 103)
    let purchases = purchases(seed: 3)
    var ids: [Int: String] = [:]
    var lines = ["increment_id,created_at,customer_email,grand_total,status"]
    for (n, p) in byDate(purchases).enumerated() {
      ids[p.customer] = "buyer.\(p.customer)@shop.example"
      lines.append(
        line([
          String(format: "%09d", 100 + n), "\(iso(p.day)) \(time(&rng))", ids[p.customer]!,
          plain(p.cents) + "00", "complete",
        ]))
    }
    return ExportShape(
      name: "magento", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--customer-column", "customer_email", "--date-column", "created_at",
        "--amount-column", "grand_total",
      ], ids: ids, purchases: purchases)
  }

  /// UCI Online Retail II: one row per invoice line, `InvoiceDate` `M/d/yyyy H:mm`, `Customer ID`
  /// as a float (`13085.0`), descriptions with commas (quoted), unit `Price` (the amount is
  /// Quantity × Price), cancellation invoices `C…` with negative quantities a few days later,
  /// and guest invoices without a customer id (skipped with --skip-bad-rows, as UCI's 25%).
  /// The ground truth's amount of a purchase is the sum of its lines.
  static func onlineRetail() -> ExportShape {
    var rng = SplitMix64(seed: 104)
    let purchases = purchases(seed: 4, start: "2010-12-01")
    let end = purchases.map(\.day).max()!
    var ids: [Int: String] = [:]
    var lines = ["Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"]
    func date(_ day: Int) -> String {
      let (y, m, d) = parts(day)
      return "\(m)/\(d)/\(y) \(rng.next() % 12 + 8):\(two(Int(rng.next() % 60)))"
    }
    var invoice = 489_434
    var cancellations = 0
    var guests = 0
    var truth: [ExportShape.Purchase] = []
    for p in byDate(purchases) {
      ids[p.customer] = "\(12_000 + p.customer).0"
      invoice += 1
      let when = date(p.day)
      var total = 0
      var items: [(code: String, quantity: Int, price: Int)] = []
      // Lines whose quantity × price add up to about the simulated amount.
      for part in split(p.cents, parts: 1 + Int(rng.next() % 4), &rng) {
        let quantity = 1 + Int(rng.next() % 6)
        let item = (
          code: "8\(5000 + Int(rng.next() % 900))", quantity: quantity,
          price: max(1, part / quantity)
        )
        items.append(item)
        total += item.quantity * item.price
        lines.append(
          line([
            "\(invoice)", item.code, "SET 7 BABUSHKA NESTING BOXES, RED", "\(item.quantity)",
            when, plain(item.price), ids[p.customer]!, "United Kingdom",
          ]))
      }
      truth.append(.init(customer: p.customer, day: p.day, cents: total))
      if rng.next() % 8 == 0, p.day + 3 <= end {
        invoice += 1
        cancellations += 1
        let item = items[0]
        lines.append(
          line([
            "C\(invoice)", item.code, "SET 7 BABUSHKA NESTING BOXES, RED", "-\(item.quantity)",
            date(p.day + 3), plain(item.price), ids[p.customer]!, "United Kingdom",
          ]))
      }
      if rng.next() % 6 == 0 {
        invoice += 1
        guests += 1
        lines.append(
          line([
            "\(invoice)", "22423", "REGENCY CAKESTAND 3 TIER", "1", when, "12.75", "",
            "United Kingdom",
          ]))
      }
    }
    return ExportShape(
      name: "online-retail", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--order-column", "Invoice", "--customer-column", "Customer ID", "--date-column",
        "InvoiceDate", "--quantity-column", "Quantity", "--price-column", "Price",
        "--cancel-prefix", "C", "--skip-bad-rows",
      ], ids: ids, purchases: truth,
      notes: [
        "\(cancellations) line(s) of orders whose id starts with 'C' are cancellations",
        "skipped \(guests) row(s)",
      ])
  }

  /// Olist (Brazilian e-commerce): orders joined with their items, one row per item
  /// (`order_item_id` 1, 2, …; two items of one product differ only in it), 32-hex ids, the
  /// amount is the sum of the items' `price` (freight in its own column, not counted).
  static func olist() -> ExportShape {
    var rng = SplitMix64(seed: 105)
    var purchases = purchases(seed: 5, start: "2017-01-05")
    var ids: [Int: String] = [:]
    func hex(_ n: UInt64) -> String {
      String(format: "%016llx%016llx", n &* 0x9E37_79B9_7F4A_7C15, n ^ 0xDEAD_BEEF)
    }
    var lines = [
      "order_id,customer_unique_id,order_status,order_purchase_timestamp,order_item_id,"
        + "product_id,price,freight_value"
    ]
    let ordered = byDate(purchases)
    for (n, p) in ordered.enumerated() {
      ids[p.customer] = hex(UInt64(p.customer))
      let order = hex(UInt64(1_000_000 + n))
      let product = hex(UInt64(2_000_000 + rng.next() % 50))
      let items = 1 + Int(rng.next() % 3)
      let prices = split(p.cents, parts: items, &rng)
      for (k, price) in prices.enumerated() {
        lines.append(
          line([
            order, ids[p.customer]!, "delivered", "\(iso(p.day)) \(time(&rng))", "\(k + 1)",
            product, plain(price), plain(Int(rng.next() % 3000)),
          ]))
      }
    }
    purchases = ordered
    return ExportShape(
      name: "olist", text: lines.joined(separator: "\n") + "\n",
      options: [
        "--order-column", "order_id", "--customer-column", "customer_unique_id",
        "--date-column", "order_purchase_timestamp", "--amount-column", "price",
      ], ids: ids, purchases: purchases)
  }
}
