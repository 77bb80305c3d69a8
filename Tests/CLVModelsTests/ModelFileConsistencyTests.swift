import CLVData
import CLVModels
import Foundation
import Testing
import TestSupport

/// Model files are reproducible: the same model gives the same bytes (apart from `createdAt`).
@Suite struct ModelFileConsistencyTests {
  @Test func decodedObjectsHaveSortedKeys() throws {
    // A decoder's key order is unspecified; JSONValue sorts keys so that re-encoded files
    // (e.g. churn-logit's `extra`) do not change from run to run.
    let value = try JSONDecoder().decode(
      JSONValue.self, from: Data(#"{"zeta": 1, "alpha": {"b": 2, "a": 3}, "mid": [1, 2]}"#.utf8))
    guard case .object(let pairs) = value else {
      Issue.record("expected an object, got \(value)")
      return
    }
    #expect(pairs.map(\.0) == ["alpha", "mid", "zeta"])
    guard case .object(let inner) = pairs[0].1 else {
      Issue.record("expected a nested object")
      return
    }
    #expect(inner.map(\.0) == ["a", "b"])
  }

  @Test func aModelFileReencodesToTheSameText() throws {
    let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let file = ModelFile(
      model: model, unit: "week", data: ModelFile.DataSource(file: "x.csv"), toolVersion: "test",
      createdAt: Date(timeIntervalSince1970: 1_767_225_600))
    let text = try file.jsonText()
    let reread = try ModelFile.decode(Data(text.utf8), path: "x.json")
    let again = try reread.jsonText()
    #expect(again == text, "\(again)")
  }
}
