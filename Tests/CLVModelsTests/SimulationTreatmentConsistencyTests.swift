import CLVData
import CLVModels
import Testing

/// The simulated campaign: it only adds orders to converted treatment customers, inside the
/// window, and leaves the untreated process as it was.
@Suite struct SimulationTreatmentConsistencyTests {
  static func settings(uplift: Double?) -> Simulation.Settings {
    var settings = Simulation.Settings(
      customers: 3000, seed: 5, process: .bgnbd(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426),
      spend: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: .week,
      start: Day(year: 2024, month: 1, day: 1)!, acquisitionDays: 90, days: 730)
    settings.treatment = uplift.map {
      Simulation.Treatment(
        uplift: $0, start: Day(year: 2025, month: 10, day: 1)!,
        end: Day(year: 2025, month: 11, day: 30)!)
    }
    return settings
  }

  struct Order: Hashable {
    var customer: Int
    var day: Day
    var amount: Double
  }

  static func run(_ settings: Simulation.Settings) -> (orders: [Order], [Simulation.Assignment]) {
    var orders: [Order] = []
    var assignments: [Simulation.Assignment] = []
    Simulation.orders(settings, assignments: { assignments.append($0) }) {
      orders.append(Order(customer: $0, day: $1, amount: $2))
    }
    return (orders, assignments)
  }

  @Test func aNullCampaignChangesNoOrder() {
    let (plain, none) = Self.run(Self.settings(uplift: nil))
    let (null, assignments) = Self.run(Self.settings(uplift: 0))
    #expect(none.isEmpty)
    #expect(plain == null)
    // Every customer is acquired in the first 90 days, before the window: all are assigned,
    // about half treated (binomial, 4σ = 4 · √(3000/4) ≈ 110).
    #expect(assignments.count == 3000)
    #expect(abs(assignments.count(where: \.treated) - 1500) < 110)
    #expect(assignments.allSatisfy { !$0.converted })
  }

  @Test func theCampaignOnlyAddsOneWindowOrderPerConvertedTreatmentCustomer() {
    let (plain, _) = Self.run(Self.settings(uplift: nil))
    let settings = Self.settings(uplift: 0.3)
    let (treated, assignments) = Self.run(settings)
    let window = settings.treatment!.start...settings.treatment!.end
    let converted = Set(assignments.filter(\.converted).map(\.customer))
    #expect(assignments.allSatisfy { !$0.converted || $0.treated })
    #expect(!converted.isEmpty)
    let added = Set(treated).subtracting(plain)
    #expect(Set(plain).isSubset(of: Set(treated)))
    #expect(added.count == converted.count)
    #expect(Set(added.map(\.customer)) == converted)
    #expect(added.allSatisfy { window.contains($0.day) })
    // Converted customers had no order in the window before.
    #expect(!plain.contains { converted.contains($0.customer) && window.contains($0.day) })
    // Orders stay in customer, then date order.
    #expect(
      zip(treated, treated.dropFirst()).allSatisfy {
        $0.customer < $1.customer || ($0.customer == $1.customer && $0.day < $1.day)
      })
  }

  @Test func aGivenListIsTreatedAsItsGroupsSay() {
    var settings = Self.settings(uplift: 1)
    // Customers 1–10 treated, 11–20 control; the others are not on the list.
    settings.treatment?.groups = Dictionary(uniqueKeysWithValues: (1...20).map { ($0, $0 <= 10) })
    let (plain, _) = Self.run(Self.settings(uplift: nil))
    let (orders, assignments) = Self.run(settings)
    #expect(assignments.map(\.customer) == Array(1...20))
    #expect(assignments.allSatisfy { $0.treated == ($0.customer <= 10) })
    // Uplift 1: every treated customer without a window order is converted, no one else.
    let window = settings.treatment!.start...settings.treatment!.end
    for a in assignments {
      let boughtAnyway = plain.contains { $0.customer == a.customer && window.contains($0.day) }
      #expect(a.converted == (a.treated && !boughtAnyway))
    }
    let converted = assignments.count(where: \.converted)
    #expect(orders.count == plain.count + converted)
  }
}
