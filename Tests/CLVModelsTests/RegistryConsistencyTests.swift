import CLVData
import CLVModels
import Foundation
import TestSupport
import Testing

/// The model registry is the one place that names models.
///
/// The source rule (`modelIDsAppearOnlyInTheRegistry`), checked on every `.swift` file under
/// `Sources/` with comment lines (`//`, `///`) skipped:
/// 1. A string literal that is exactly a registered id (`"bgnbd"`) appears only in the
///    model's own `static let modelID = "…"` declaration: no `case "bgnbd":`, no
///    `== "gamma-gamma"`, no dictionary keyed by ids.
/// 2. No line names two or more registered ids (as words, e.g. `bgnbd, mbgnbd` in a help
///    text or `"bgnbd,pnbd"` as a default): lists of models are built from ``ModelRegistry``.
/// 3. No code tests a model's identity through its type's id (`case BGBB.modelID:`,
///    `model == GammaGamma.modelID`, `modelID != …`): what a command needs to know about a model
///    is a field of its ``ModelDescriptor`` (kind, data needs, predictions, time scale,
///    positive parameters).
/// Files under `Sources/CLVModels/Registry/` are exempt (the table itself).
@Suite struct RegistryConsistencyTests {
  static let ids = ModelRegistry.ids

  /// Every Swift source file outside the registry folder, with its lines.
  static func sourceFiles() throws -> [(path: String, lines: [Substring])] {
    let root = Fixtures.repositoryRoot.appendingPathComponent("Sources")
    let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
    var files: [(String, [Substring])] = []
    for case let relative as String in enumerator
    where relative.hasSuffix(".swift") && !relative.hasPrefix("CLVModels/Registry/") {
      let text = try String(
        contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
      files.append(
        ("Sources/" + relative, text.split(separator: "\n", omittingEmptySubsequences: false)))
    }
    return files
  }

  /// The registered ids named in `line` as whole words: not inside longer words (`pnbd` in
  /// `mbgpnbd`), not after `/` (`models/pnbd.json`), not Swift members (`.bgnbd`).
  static func idsNamed(in line: Substring) -> [String] {
    ids.filter { id in
      var searchStart = line.startIndex
      while let range = line.range(of: id, range: searchStart..<line.endIndex) {
        let before =
          range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
        // After `.`: a Swift member (`.bgnbd`), not an id.
        if before == "." {
          searchStart = range.upperBound
          continue
        }
        let after = range.upperBound == line.endIndex ? nil : line[range.upperBound]
        let isWordCharacter = { (c: Character?) in
          c.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "/" } ?? false
        }
        if !isWordCharacter(before), !isWordCharacter(after) { return true }
        searchStart = range.upperBound
      }
      return false
    }
  }

  @Test func modelIDsAppearOnlyInTheRegistry() throws {
    let files = try Self.sourceFiles()
    #expect(files.count > 50, "the scan found the sources")
    var violations: [String] = []
    for (path, lines) in files {
      for (index, line) in lines.enumerated() {
        let code = line.drop { $0 == " " }
        if code.hasPrefix("//") { continue }
        let location = "\(path):\(index + 1): \(code)"
        let literals = Self.ids.filter { line.contains("\"\($0)\"") }
        if !literals.isEmpty, !code.hasPrefix("public static let modelID = ") {
          violations.append("\(location) (literal model id)")
        }
        if Self.idsNamed(in: line).count >= 2 {
          violations.append("\(location) (list of model ids)")
        }
        if Self.comparesModelIDs(code) {
          violations.append("\(location) (a test of a model's id)")
        }
      }
    }
    #expect(
      violations.isEmpty, "model ids outside the registry:\n\(violations.joined(separator: "\n"))")
  }

  /// Whether `code` switches on or compares with a type's `modelID`.
  static func comparesModelIDs(_ code: Substring) -> Bool {
    let patterns = [
      #"case\s+[A-Za-z]+\.modelID"#, #"[=!]=\s*[A-Za-z]+\.modelID"#, #"modelID\s*[=!]="#,
    ]
    return patterns.contains { code.range(of: $0, options: .regularExpression) != nil }
  }

  @Test func theScanCatchesASwitchAndAList() {
    #expect(Self.comparesModelIDs("    case BGBB.modelID:"))
    #expect(Self.comparesModelIDs("guard file.model == LogisticChurn.modelID else {"))
    #expect(!Self.comparesModelIDs("  public static let modelID = \"nbd\""))
    #expect(Self.idsNamed(in: #"case "bgnbd": return 1"#) == ["bgnbd"])
    #expect(Self.idsNamed(in: "Comma-separated models: bgnbd, mbgnbd, pnbd").count == 3)
    #expect(Self.idsNamed(in: "bgnbd.json for BG/NBD and models/pnbd.json").count == 1)
    #expect(Self.idsNamed(in: "case .bgnbd(let r), .mbgnbd(let r):").isEmpty)
  }

  @Test func descriptorsAreUniqueAndMatchTheirTypes() throws {
    #expect(Set(Self.ids).count == Self.ids.count)
    for descriptor in ModelRegistry.all {
      #expect(!descriptor.displayName.isEmpty)
      #expect(descriptor.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
      if descriptor.kind == .purchase {
        #expect(descriptor.predictions.contains(.expectedPurchases), "\(descriptor.id)")
      }
      if descriptor.simulates {
        let process = descriptor.process(
          parameters: descriptor.parameterNames.map { _ in 1.0 })
        #expect(process != nil)
      }
    }
    #expect(ModelRegistry.ids(of: .purchase).count >= 4)
    #expect(ModelRegistry.ids(of: .spend).count == 1)
  }

  /// Every summary-fitted model decodes from the file of a model built from its own parameters,
  /// through its descriptor, with the same parameters.
  @Test func everyDescriptorReadsBackItsModelFile() throws {
    for descriptor in ModelRegistry.all where descriptor.fitsSummaries {
      // The CNBD-k regularity k is a whole number in 1 … 12; every other parameter is any
      // positive number.
      let values = descriptor.parameterNames.enumerated().map { i, name in
        name == "k" ? 3 : 0.5 + Double(i)
      }
      // The unit the descriptor gives a model fitted on weekly data (none for Gamma-Gamma).
      let unit = descriptor.unit(fittedOn: .week).map { "\"unit\": \"\($0.rawValue)\", " } ?? ""
      let file = try ModelFile.decode(
        Data(
          """
          {"schema": "clvkit-model/1", "model": "\(descriptor.id)",
           "parameters": {\(zip(descriptor.parameterNames, values).map { "\"\($0)\": \($1)" }.joined(separator: ", "))},
           \(unit)"createdAt": "2026-12-07T00:00:00Z", "tool": {"name": "clv", "version": "test"}}
          """.utf8), path: "\(descriptor.id).json")
      let model = try file.makeModel(path: "\(descriptor.id).json")
      #expect(type(of: model).modelID == descriptor.id)
      #expect(model.parameterNames == descriptor.parameterNames)
      #expect(model.parameterValues == values)
    }
  }

  @Test func unitsConvertInOnePlace() {
    let row = RFMSummary.Row(customerID: "c", frequency: 2, recency: 14, age: 28, monetaryValue: 0)
    let weekly = ModelUnit.time(.week).rows([row], from: .day)
    #expect(weekly[0].recency == 2 && weekly[0].age == 4)
    #expect(ModelUnit.opportunity.rows([row], from: .day)[0].age == 28)
    #expect(ModelUnit(rawValue: "opportunity") == .opportunity)
    #expect(ModelUnit(rawValue: "week") == .time(.week))
    #expect(ModelUnit(rawValue: "fortnight") == nil)
  }
}
