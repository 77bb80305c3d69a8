import CLVData
import CLVModels
import CLVNumerics
import Foundation

extension CampaignReadout {
  /// Reads a readout written by `clv measure --json` (`-`: standard input).
  /// - Throws: `DataError.notReadable` (exit 66) for a missing or unreadable path;
  ///   `DataError.invalidRow` (exit 65) naming the file and the first missing or malformed key.
  public static func read(path: String) throws -> CampaignReadout {
    let name = path == "-" ? "<stdin>" : path
    let data = try RunFile.bytes(of: path)
    let json: JSONValue
    do {
      json = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      throw DataError.invalidRow(file: name, line: 1, reason: "not JSON (\(error))")
    }
    return try CampaignReadout(json: json, file: name)
  }

  /// The readout in `json` (the layout of ``json``), without recomputing anything.
  public init(json: JSONValue, file: String) throws {
    func fail(_ key: String) -> DataError {
      DataError.invalidRow(
        file: file, line: 1,
        reason: "'\(key)' is missing or malformed (expected a readout of clv measure --json)")
    }
    func number(_ value: JSONValue?, _ key: String) throws -> Double {
      guard let x = value?.doubleValue, x.isFinite else { throw fail(key) }
      return x
    }
    func optionalNumber(_ value: JSONValue?, _ key: String) throws -> Double? {
      if value == nil || value == .null { return nil }
      return try number(value, key)
    }
    func interval(_ value: JSONValue?, _ key: String) throws -> ConfidenceInterval? {
      if value == nil || value == .null { return nil }
      guard let pair = value?.arrayValue, pair.count == 2 else { throw fail(key) }
      return ConfidenceInterval(
        lower: try number(pair[0], key), upper: try number(pair[1], key))
    }
    func group(_ key: String) throws -> Group {
      guard let g = json[key] else { throw fail(key) }
      func n(_ name: String) throws -> Double { try number(g[name], "\(key).\(name)") }
      let customers = Int(try n("customers"))
      guard
        let rateInterval = try interval(g["purchaseRateInterval"], "\(key).purchaseRateInterval")
      else { throw fail("\(key).purchaseRateInterval") }
      return Group(
        customers: customers, purchasers: Int(try n("purchasers")), orders: Int(try n("orders")),
        revenue: try n("revenue"), purchaseRate: try n("purchaseRate"),
        purchaseRateInterval: rateInterval,
        orderMoments: .init(
          count: customers, mean: try n("ordersPerCustomer"), variance: try n("ordersVariance")),
        revenueMoments: .init(
          count: customers, mean: try n("revenuePerCustomer"), variance: try n("revenueVariance")))
    }
    func lift(_ key: String) throws -> Lift {
      guard let l = json[key], let method = l["method"]?.stringValue,
        let range = try interval(l["interval"], "\(key).interval")
      else { throw fail(key) }
      return Lift(
        difference: try number(l["difference"], "\(key).difference"), interval: range,
        relative: try optionalNumber(l["relative"], "\(key).relative"),
        relativeInterval: try interval(l["relativeInterval"], "\(key).relativeInterval"),
        pValue: try optionalNumber(l["pValue"], "\(key).pValue"), method: method)
    }
    func amount(_ key: String) throws -> Amount {
      guard let a = json[key], let range = try interval(a["interval"], "\(key).interval") else {
        throw fail(key)
      }
      return Amount(value: try number(a["value"], "\(key).value"), interval: range)
    }
    treatment = try group("treatment")
    control = try group("control")
    purchaseRate = try lift("purchaseRateLift")
    ordersPerCustomer = try lift("ordersPerCustomerLift")
    revenuePerCustomer = try lift("revenuePerCustomerLift")
    incrementalRevenue = try amount("incrementalRevenue")
    incrementalProfit = try amount("incrementalProfit")
    offerCost = try number(json["offerCost"], "offerCost")
    margin = try number(json["margin"], "margin")
    // Readouts written before the bootstrap-t have no "meanIntervals": Welch's.
    if let m = json["meanIntervals"], m != .null {
      guard let name = m["method"]?.stringValue, let method = IntervalMethod(rawValue: name)
      else { throw fail("meanIntervals.method") }
      let resamples = try optionalNumber(m["resamples"], "meanIntervals.resamples")
      var seed: UInt64? = nil
      if let text = m["seed"], text != .null {
        guard let value = text.stringValue.flatMap(UInt64.init) else {
          throw fail("meanIntervals.seed")
        }
        seed = value
      }
      if let r = resamples, r < 1 || r > 1e9 || r != r.rounded() {
        throw fail("meanIntervals.resamples")
      }
      meanIntervals = MeanIntervals(
        method: method, resamples: resamples.map { Int($0) }, seed: seed)
    }
  }
}
