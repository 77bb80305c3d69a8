import CLVData
import CLVModels
import Foundation
import TestSupport
import Testing

/// Model files: round trip, and clear errors for files that are not usable.
@Suite struct ModelFileInputTests {
  func write(_ text: String) throws -> String {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("model.json")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func roundTripKeepsParametersAndFit() throws {
    let fitted = try BGNBD.fit(try ReferenceData.cdnowSummary())
    let file = ModelFile(
      model: fitted, unit: .time(.week), data: .init(file: "cdnow.csv", sha256: "abc"),
      toolVersion: "0.1.0")
    let path = try write(try file.jsonText())
    let (loaded, model) = try ModelFile.readTransactionModel(from: path)
    #expect(loaded.model == "bgnbd")
    #expect(loaded.unit == .time(.week))
    #expect(model.parameterValues == fitted.parameterValues)
    #expect(model.fitReport?.logLikelihood == fitted.fitReport?.logLikelihood)
    #expect(model.fitReport?.standardErrors == fitted.fitReport?.standardErrors)
    let text = try file.jsonText()
    // Keys in the documented order.
    let order = [
      "\"schema\"", "\"model\"", "\"parameters\"", "\"standardErrors\"",
      "\"logLikelihood\"", "\"customers\"", "\"unit\"", "\"fit\"", "\"data\"", "\"createdAt\"",
      "\"tool\"",
    ].map { text.range(of: $0)!.lowerBound }
    #expect(order == order.sorted())
  }

  @Test(arguments: [
    (
      "{\"schema\": \"clvkit-model/2\", \"model\": \"bgnbd\"}",
      "schema 'clvkit-model/2' is not supported"
    ),
    ("{\"model\": \"bgnbd\"}", "no 'schema' field"),
    ("{\"schema\": \"clvkit-model/1\", \"model\": \"xyz\"}", "unknown model 'xyz'"),
    ("not json", "not JSON"),
    (
      "{\"schema\": \"clvkit-model/1\", \"model\": \"bgnbd\", \"parameters\": {\"r\": 1}, \"createdAt\": \"x\", \"tool\": {\"name\": \"clv\", \"version\": \"1\"}}",
      "parameter 'alpha' is missing"
    ),
  ])
  func badFilesFailClearly(text: String, message: String) throws {
    let path = try write(text)
    do {
      _ = try ModelFile.readTransactionModel(from: path)
      Issue.record("no error for \(text)")
    } catch let error as ModelError {
      #expect(error.description.hasPrefix(path + ": "))
      #expect(error.description.contains(message), "\(error.description)")
      #expect(error.exitCode == 65)
    }
  }

  /// The unit is typed (``ModelUnit``): a file with another unit is refused by name.
  @Test func unknownUnitIsAClearError() throws {
    let text = try ModelFile(
      model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), unit: .time(.week), data: nil,
      toolVersion: "0"
    ).jsonText().replacingOccurrences(of: "\"unit\": \"week\"", with: "\"unit\": \"fortnight\"")
    let path = try write(text)
    #expect {
      try ModelFile.read(from: path)
    } throws: { error in
      "\(error)".contains(
        "field 'unit': unit 'fortnight' is not one of day, week, month, opportunity")
    }
    // A known unit of the wrong kind is refused by the domain check: BG/NBD's rates are per
    // calendar unit, never per opportunity.
    #expect {
      try ModelFile.decode(
        Data(text.replacingOccurrences(of: "fortnight", with: "opportunity").utf8),
        path: "m.json")
    } throws: { error in
      "\(error)".contains("unit = 'opportunity': not a time unit (day, week, month)")
    }
  }

  @Test func spendModelIsNotAPurchaseModel() throws {
    let file = ModelFile(
      model: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: nil, data: nil, toolVersion: "0")
    let path = try write(try file.jsonText())
    #expect(throws: ModelError.self) { try ModelFile.readTransactionModel(from: path) }
    #expect(try ModelFile.readSpendModel(from: path).model.parameterValues == [6.25, 3.74, 15.44])
  }
}
