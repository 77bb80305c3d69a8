import CLVData
import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

/// The frequency–recency matrices and the calibration repeat-purchase histogram, for every
/// purchase model kind, on hand-made customers.
@Suite struct PurchaseDiagnosticsCorrectnessTests {
  /// Published or representative parameters of every purchase model in the registry.
  static let models: [any TransactionModel] = [
    BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426),
    MBGNBD(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614),
    ParetoNBD(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669),
    BGBB(alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783),
    NBD(r: 0.385, alpha: 12.07),
    BGCNBDk(k: 3, r: 0.3, alpha: 1.5, a: 0.7, b: 2.0),
    MBGCNBDk(k: 3, r: 0.3, alpha: 1.5, a: 0.7, b: 2.0),
  ]

  /// Customers of ages 20 and 39 units with 0 … 9 repeat purchases.
  static let rows: [RFMSummary.Row] = (0..<40).map { i in
    let x = i % 10
    let age = i < 20 ? 20.0 : 39.0
    return RFMSummary.Row(
      customerID: "c\(i)", frequency: x, recency: x == 0 ? 0 : min(Double(x) * 2, age), age: age)
  }

  @Test func everyPurchaseModelKindIsCovered() {
    let covered = Set(Self.models.map { type(of: $0).modelID })
    #expect(covered == Set(ModelRegistry.ids(of: .purchase)))
  }

  @Test func repeatHistogramCountsCustomersAndSumsToThem() throws {
    for model in Self.models {
      let name = type(of: model).modelName
      let rows = try #require(
        PurchaseDiagnostics.repeatPurchases(model, rows: Self.rows), "\(name)")
      #expect(rows.map(\.frequency) == ["0", "1", "2", "3", "4", "5", "6", "7+"])
      // Four customers each with x = 0 … 6, twelve with 7, 8 or 9.
      #expect(rows.map(\.actual) == [4, 4, 4, 4, 4, 4, 4, 12], "\(name)")
      assertClose(
        rows.map(\.expected).reduce(0, +), Double(Self.rows.count), relative: 1e-12,
        source: "\(name): expected counts add up to the customers (7+ is the remainder)")
      // expected(x) = Σᵢ P(X(Tᵢ) = x): 20 customers of each age.
      for x in 0..<7 {
        let direct =
          20 * model.probabilityOfPurchases(x, in: 20) + 20
          * model.probabilityOfPurchases(x, in: 39)
        assertClose(
          rows[x].expected, direct, relative: 1e-12,
          source: "\(name): [FHL2005a] Fig. 1, Σᵢ P(X(Tᵢ) = \(x))")
      }
    }
  }

  @Test func matrixMarksImpossibleHistoriesAndMatchesTheModel() throws {
    for model in Self.models {
      let name = type(of: model).modelName
      let discrete = type(of: model).modelID == "bgbb"
      let matrix = try #require(
        PurchaseDiagnostics.frequencyRecency(model, rows: Self.rows, discrete: discrete))
      #expect(matrix.age == 39 && matrix.horizon == 1)
      #expect(matrix.frequencies == Array(0...9))
      #expect(matrix.recencies.first == 0 && matrix.recencies.last == 39)
      #expect(matrix.recencies.count == 40, "\(name): whole units up to T = 39")
      for (i, x) in matrix.frequencies.enumerated() {
        for (j, tx) in matrix.recencies.enumerated() {
          let possible = x == 0 ? tx == 0 : tx > 0 && (!discrete || Double(x) <= tx)
          #expect((matrix.probabilityAlive[i][j] != nil) == possible, "\(name) x=\(x) tx=\(tx)")
          #expect((matrix.expectedPurchases[i][j] != nil) == possible, "\(name) x=\(x) tx=\(tx)")
          guard possible else { continue }
          let row = RFMSummary.Row(customerID: "", frequency: x, recency: tx, age: 39)
          assertClose(
            matrix.expectedPurchases[i][j]!, model.expectedPurchases(in: 1, for: row),
            relative: 1e-12, source: "\(name): E[X(1) | x, tₓ, T]")
          assertClose(
            matrix.probabilityAlive[i][j]!, model.probabilityAlive(for: row), relative: 1e-12,
            source: "\(name): P(alive | x, tₓ, T)")
        }
      }
    }
  }

  @Test func bgnbdCustomerWithoutRepeatPurchaseIsAlive() throws {
    // BG/NBD: a customer without a repeat purchase cannot have dropped out ([FHL2005a] eq. 10
    // with x = 0 gives P(alive) = 1).
    let matrix = try #require(
      PurchaseDiagnostics.frequencyRecency(Self.models[0], rows: Self.rows, discrete: false))
    #expect(matrix.probabilityAlive[0][0] == 1)
    // Recent buyers are more likely alive than customers who bought as often long ago.
    let last = matrix.recencies.count - 1
    #expect(matrix.probabilityAlive[5][last]! > matrix.probabilityAlive[5][1]!)
  }

  @Test func longHistoriesAreThinnedToFortyOneColumns() throws {
    let rows = [RFMSummary.Row(customerID: "a", frequency: 3, recency: 100, age: 546)]
    let matrix = try #require(
      PurchaseDiagnostics.frequencyRecency(Self.models[0], rows: rows, discrete: false))
    #expect(matrix.recencies.count <= PurchaseDiagnostics.recencyColumns + 1)
    #expect(matrix.recencies.last == 546)
  }
}
