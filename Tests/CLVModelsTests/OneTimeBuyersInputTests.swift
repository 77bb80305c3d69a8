import CLVData
import CLVModels
import Testing

/// Data in which nobody made a repeat purchase: one message that the purchase models cannot be
/// identified (exit 65), not a message about T.
@Suite struct OneTimeBuyersInputTests {
  static let onlyOneTimeBuyers = RFMSummary(
    rows: [
      RFMSummary.Row(customerID: "a", frequency: 0, recency: 0, age: 30),
      RFMSummary.Row(customerID: "b", frequency: 0, recency: 0, age: 4),
      RFMSummary.Row(customerID: "c", frequency: 0, recency: 0, age: 0),
    ], unit: .week)

  static func message(_ body: () throws -> Void) -> (String, Int32)? {
    do {
      try body()
    } catch let error as ModelError {
      return (error.description, error.exitCode)
    } catch {
      return ("unexpected \(error)", 0)
    }
    return nil
  }

  @Test func purchaseModelsSayTheyCannotBeIdentified() {
    let fits: [(String, () throws -> Void)] = [
      ("BG/NBD", { _ = try BGNBD.fit(Self.onlyOneTimeBuyers) }),
      ("MBG/NBD", { _ = try MBGNBD.fit(Self.onlyOneTimeBuyers) }),
      ("Pareto/NBD", { _ = try ParetoNBD.fit(Self.onlyOneTimeBuyers) }),
      ("BG/BB", { _ = try BGBB.fit(Self.onlyOneTimeBuyers) }),
    ]
    for (name, fit) in fits {
      let result = Self.message(fit)
      #expect(result?.1 == 65, "\(name): \(result?.0 ?? "accepted")")
      let text = result?.0 ?? ""
      #expect(text.hasPrefix("\(name): nobody made a repeat purchase"), "\(text)")
      #expect(text.contains("all 3 customers have frequency 0, 1 of them with T = 0"), "\(text)")
      #expect(text.contains("cannot be identified"), "\(text)")
    }
  }

  /// Every customer with T = 0: the same message, not "T must be positive".
  @Test func onlyZeroAgeCustomersGetTheSameMessage() {
    let rows = (0..<5).map {
      RFMSummary.Row(customerID: "\($0)", frequency: 0, recency: 0, age: 0)
    }
    let result = Self.message { _ = try BGNBD.fit(RFMSummary(rows: rows, unit: .day)) }
    #expect(result?.1 == 65)
    #expect(result?.0.contains("cannot be identified") == true, "\(result?.0 ?? "accepted")")
    #expect(result?.0.contains("must be positive") == false)
  }
}
