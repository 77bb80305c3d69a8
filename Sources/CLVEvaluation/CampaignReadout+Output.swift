import CLVData
import CLVModels
import CLVNumerics
import CLVScoring

extension CampaignReadout {
  /// The header of a readout CSV: one row per measure; empty fields where a value does not
  /// apply or is undefined.
  public static let csvHeader =
    "metric,treatment,treatment_lower,treatment_upper,control,control_lower,control_upper,"
    + "lift,lift_lower,lift_upper,relative_lift,relative_lower,relative_upper,p_value,method"

  /// The readout as CSV lines (header first, no line ends), numbers in `NumberText`'s format.
  public var csvLines: [String] {
    func n(_ x: Double?) -> String { x.map(NumberText.string) ?? "" }
    func row(
      _ metric: String, _ t: Double?, _ tCI: ConfidenceInterval?, _ c: Double?,
      _ cCI: ConfidenceInterval?, _ lift: Double?, _ liftCI: ConfidenceInterval?,
      relative: Double? = nil, relativeCI: ConfidenceInterval? = nil, p: Double? = nil,
      method: String = ""
    ) -> String {
      var bytes: [UInt8] = []
      NumberText.appendField(method, to: &bytes)
      return [
        metric, n(t), n(tCI?.lower), n(tCI?.upper), n(c), n(cCI?.lower), n(cCI?.upper), n(lift),
        n(liftCI?.lower), n(liftCI?.upper), n(relative), n(relativeCI?.lower),
        n(relativeCI?.upper), n(p), String(decoding: bytes, as: UTF8.self),
      ].joined(separator: ",")
    }
    func lift(_ metric: String, _ t: Double, _ c: Double, _ l: Lift) -> String {
      row(
        metric, t, nil, c, nil, l.difference, l.interval, relative: l.relative,
        relativeCI: l.relativeInterval, p: l.pValue, method: l.method)
    }
    let (t, c) = (treatment, control)
    return [
      Self.csvHeader,
      row("customers", Double(t.customers), nil, Double(c.customers), nil, nil, nil),
      row("purchasers", Double(t.purchasers), nil, Double(c.purchasers), nil, nil, nil),
      row(
        "purchase_rate", t.purchaseRate, t.purchaseRateInterval, c.purchaseRate,
        c.purchaseRateInterval, purchaseRate.difference, purchaseRate.interval,
        relative: purchaseRate.relative, relativeCI: purchaseRate.relativeInterval,
        p: purchaseRate.pValue, method: "Wilson score intervals per group; " + purchaseRate.method),
      row("orders", Double(t.orders), nil, Double(c.orders), nil, nil, nil),
      lift("orders_per_customer", t.ordersPerCustomer, c.ordersPerCustomer, ordersPerCustomer),
      row("revenue", t.revenue, nil, c.revenue, nil, nil, nil),
      lift("revenue_per_customer", t.revenuePerCustomer, c.revenuePerCustomer, revenuePerCustomer),
      row(
        "incremental_revenue", nil, nil, nil, nil, incrementalRevenue.value,
        incrementalRevenue.interval,
        method: "treatment customers x revenue per customer lift"),
      row(
        "incremental_profit", nil, nil, nil, nil, incrementalProfit.value,
        incrementalProfit.interval,
        method: "margin \(NumberText.string(margin)) x incremental revenue - offer cost "
          + "\(NumberText.string(offerCost)) x \(t.customers) treatment customers"),
    ]
  }

  /// The readout as JSON (keys in a fixed order; null where undefined).
  public var json: JSONValue {
    func n(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
    func ci(_ i: ConfidenceInterval?) -> JSONValue {
      i.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
    }
    func group(_ g: Group) -> JSONValue {
      .object([
        ("customers", .number(Double(g.customers))),
        ("purchasers", .number(Double(g.purchasers))),
        ("purchaseRate", .number(g.purchaseRate)),
        ("purchaseRateInterval", ci(g.purchaseRateInterval)),
        ("orders", .number(Double(g.orders))),
        ("ordersPerCustomer", .number(g.ordersPerCustomer)),
        ("ordersVariance", .number(g.orderMoments.variance)),
        ("revenue", .number(g.revenue)),
        ("revenuePerCustomer", .number(g.revenuePerCustomer)),
        ("revenueVariance", .number(g.revenueMoments.variance)),
      ])
    }
    func lift(_ l: Lift) -> JSONValue {
      .object([
        ("difference", .number(l.difference)), ("interval", ci(l.interval)),
        ("relative", n(l.relative)), ("relativeInterval", ci(l.relativeInterval)),
        ("pValue", n(l.pValue)), ("method", .string(l.method)),
      ])
    }
    func amount(_ a: Amount) -> JSONValue {
      .object([("value", .number(a.value)), ("interval", ci(a.interval))])
    }
    return .object([
      ("confidence", .number(0.95)),
      ("treatment", group(treatment)), ("control", group(control)),
      ("purchaseRateLift", lift(purchaseRate)),
      ("ordersPerCustomerLift", lift(ordersPerCustomer)),
      ("revenuePerCustomerLift", lift(revenuePerCustomer)),
      ("incrementalRevenue", amount(incrementalRevenue)),
      ("incrementalProfit", amount(incrementalProfit)),
      ("offerCost", .number(offerCost)), ("margin", .number(margin)),
      (
        "meanIntervals",
        .object([
          ("method", .string(meanIntervals.method.rawValue)),
          ("resamples", n(meanIntervals.resamples.map(Double.init))),
          // A string: a 64-bit seed is not exact as a JSON number.
          ("seed", meanIntervals.seed.map { .string(String($0)) } ?? .null),
        ])
      ),
    ])
  }

  /// A plain-text summary for the terminal.
  public var summary: String {
    func f(_ x: Double, _ digits: Int = 2) -> String { NumberText.fixed(x, digits: digits) }
    func pct(_ x: Double) -> String { NumberText.fixed(x * 100, digits: 2) + "%" }
    func ci(_ i: ConfidenceInterval, _ format: (Double) -> String) -> String {
      "[\(format(i.lower)), \(format(i.upper))]"
    }
    func p(_ x: Double?) -> String {
      guard let x else { return "no test" }
      return x < 0.0001 ? "p < 0.0001" : "p = \(NumberText.fixed(x, digits: 4))"
    }
    func relative(_ l: Lift) -> String {
      guard let r = l.relative else { return "" }
      return "; relative \(pct(r))" + (l.relativeInterval.map { " " + ci($0, pct) } ?? "")
    }
    let (t, c) = (treatment, control)
    var lines = [
      "group      customers  purchasers  purchase rate [95% Wilson]     orders/customer  "
        + "revenue/customer"
    ]
    for (name, g) in [("treatment", t), ("control", c)] {
      let rate = "\(pct(g.purchaseRate)) \(ci(g.purchaseRateInterval, pct))"
      lines.append(
        name.padding(11) + "\(g.customers)".padding(11) + "\(g.purchasers)".padding(12)
          + rate.padding(33) + f(g.ordersPerCustomer, 3).padding(17) + f(g.revenuePerCustomer))
    }
    lines += [
      "purchase rate lift: \(f(purchaseRate.difference * 100)) points "
        + "\(ci(purchaseRate.interval) { f($0 * 100) }) (Newcombe), \(p(purchaseRate.pValue))"
        + relative(purchaseRate),
      "orders per customer lift: \(f(ordersPerCustomer.difference, 4)) "
        + "\(ci(ordersPerCustomer.interval) { f($0, 4) }) (\(meanIntervals.label)), "
        + p(ordersPerCustomer.pValue)
        + relative(ordersPerCustomer),
      "revenue per customer lift: \(f(revenuePerCustomer.difference)) "
        + "\(ci(revenuePerCustomer.interval) { f($0) }) (\(meanIntervals.label)), "
        + p(revenuePerCustomer.pValue)
        + relative(revenuePerCustomer),
      "incremental revenue: \(f(incrementalRevenue.value)) "
        + "\(ci(incrementalRevenue.interval) { f($0) }) over \(t.customers) treatment customers",
      "incremental profit: \(f(incrementalProfit.value)) "
        + "\(ci(incrementalProfit.interval) { f($0) }) (margin \(NumberText.string(margin)), "
        + "offer cost \(NumberText.string(offerCost)) per treatment customer)",
    ]
    return lines.joined(separator: "\n")
  }
}

extension String {
  /// The string padded with blanks to `width` characters (a blank after it when longer).
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
