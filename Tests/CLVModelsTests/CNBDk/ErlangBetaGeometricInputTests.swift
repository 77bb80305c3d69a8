import CLVData
import CLVModels
import Foundation
import Testing

/// Bad input to the (M)BG/CNBD-k models: a k that is not a whole number in 1 … 12 in a model
/// file, and a summary without litt.
@Suite struct ErlangBetaGeometricInputTests {
  static func file(k: String) throws -> ModelFile {
    try ModelFile.decode(
      Data(
        """
        {"schema": "clvkit-model/1", "model": "bgcnbd-k",
         "parameters": {"k": \(k), "r": 0.3, "alpha": 1.5, "a": 0.7, "b": 2},
         "unit": "week", "createdAt": "2026-12-07T00:00:00Z",
         "tool": {"name": "clv", "version": "test"}}
        """.utf8), path: "m.json")
  }

  /// k = 0 is refused by the envelope (every parameter positive), 2.5 and 13 by the model.
  @Test(arguments: ["2.5", "0", "13"])
  func modelFileWithABadKIsRejected(k: String) throws {
    #expect(throws: ModelError.self) { try Self.file(k: k).makeModel(path: "m.json") }
  }

  @Test func modelFileWithAWholeKReadsBack() throws {
    let model = try Self.file(k: "4").makeModel(path: "m.json")
    #expect(model.parameterValues == [4, 0.3, 1.5, 0.7, 2])
  }

  @Test func summaryWithoutLittIsUnusable() throws {
    let rows = [
      RFMSummary.Row(customerID: "a", frequency: 2, recency: 3, age: 5),
      RFMSummary.Row(customerID: "b", frequency: 0, recency: 0, age: 4),
    ]
    #expect(throws: ModelError.self) { try MBGCNBDk.fit(RFMSummary(rows: rows, unit: .week)) }
    let bad = RFMSummary(rows: rows, unit: .week, logInterPurchaseTimes: [.nan, 0])
    #expect(throws: ModelError.self) { try MBGCNBDk.fit(bad) }
  }
}
