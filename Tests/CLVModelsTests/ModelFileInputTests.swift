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

  /// The `fit` and `data` objects are the types a run file's entries use too, where every field
  /// may be absent; a model file still needs each of ``FitReport.Optimizer.requiredFields`` and
  /// `data.file`, and names the one that is missing.
  @Test(arguments: FitReport.Optimizer.requiredFields + ["file"])
  func aModelFileWithoutARequiredFitOrDataFieldFailsNamingIt(field: String) throws {
    let report = FitReport(
      logLikelihood: -9582.43, standardErrors: nil, iterations: 31, functionEvaluations: 40,
      gradientNorm: 2.5e-9, converged: true, seconds: 0.03, customers: 2357, distinctRows: 1141)
    let file = ModelFile(
      model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, fitReport: report),
      unit: .time(.week), data: .init(file: "cdnow.csv"), toolVersion: "0")
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(try file.jsonText().utf8)) as? [String: Any])
    let parent = field == "file" ? "data" : "fit"
    var inner = try #require(object[parent] as? [String: Any])
    #expect(inner.removeValue(forKey: field) != nil, "the file as written has '\(field)'")
    object[parent] = inner
    #expect {
      try ModelFile.decode(try JSONSerialization.data(withJSONObject: object), path: "m.json")
    } throws: { error in
      "\(error)" == "m.json: not a usable model file: no '\(field)' field"
    }
  }

  /// The fit report read back from a file is the one written (with its CPU seconds), and the
  /// file's `fit` object is the report's optimizer part.
  @Test func theFitReportRoundTripsThroughTheFile() throws {
    let report = FitReport(
      logLikelihood: -9582.43, standardErrors: [0.0125, 0.378, 0.186, 0.704], iterations: 31,
      functionEvaluations: 40, gradientNorm: 2.5e-9, converged: true, degenerate: true,
      seconds: 0.03, customers: 2357, distinctRows: 1141, penalizer: 0.001, reason: "maxIterations",
      dropped: 3, cpuSeconds: 0.02)
    let file = ModelFile(
      model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, fitReport: report),
      unit: .time(.week), data: nil, toolVersion: "0")
    #expect(file.fit == report.optimizer)
    let read = try ModelFile.decode(Data(try file.jsonText().utf8), path: "m.json")
    #expect(read.fitReport(parameterNames: BGNBD.parameterNames) == report)
  }

  /// A fit report (its Swift encoding, as a model value carries it) is one flat object, the
  /// estimate's fields beside the optimizer's; it reads back as written, and without one of
  /// the optimizer's required fields it fails naming it.
  @Test func aFitReportEncodesFlatAndNeedsEveryRequiredField() throws {
    let report = FitReport(
      logLikelihood: -9582.43, standardErrors: [0.0125, 0.378], iterations: 31,
      functionEvaluations: 40, gradientNorm: 2.5e-9, converged: true, seconds: 0.03,
      customers: 2357, distinctRows: 1141, dropped: 2)
    let bytes = try JSONEncoder().encode(report)
    let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    #expect(object["logLikelihood"] as? Double == -9582.43)
    #expect(object["iterations"] as? Int == 31 && object["customers"] as? Int == 2357)
    #expect(try JSONDecoder().decode(FitReport.self, from: bytes) == report)
    var partial = object
    #expect(partial.removeValue(forKey: "dropped") != nil)
    #expect {
      try JSONDecoder().decode(
        FitReport.self, from: try JSONSerialization.data(withJSONObject: partial))
    } throws: { error in
      "\(error)".contains("without 'dropped'")
    }
  }

  /// Every unit reads back as the one written, and the model's unit is typed in the file.
  @Test(arguments: [
    ModelUnit.time(.day), .time(.week), .time(.month), .opportunity,
  ])
  func theUnitRoundTrips(unit: ModelUnit) throws {
    let model: any ModelFileConvertible =
      unit == .opportunity
      ? BGBB(alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78)
      : BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let file = ModelFile(model: model, unit: unit, data: nil, toolVersion: "0")
    #expect(try file.jsonText().contains("\"unit\": \"\(unit.rawValue)\""))
    #expect(try ModelFile.decode(Data(try file.jsonText().utf8), path: "m.json").unit == unit)
    #expect(ModelUnit(rawValue: unit.rawValue) == unit)
  }

  @Test func spendModelIsNotAPurchaseModel() throws {
    let file = ModelFile(
      model: GammaGamma(p: 6.25, q: 3.74, gamma: 15.44), unit: nil, data: nil, toolVersion: "0")
    let path = try write(try file.jsonText())
    #expect(throws: ModelError.self) { try ModelFile.readTransactionModel(from: path) }
    #expect(try ModelFile.readSpendModel(from: path).model.parameterValues == [6.25, 3.74, 15.44])
  }
}
