import Foundation
import TestSupport
import Testing

/// STYLE.md: only Sources/CLVNumerics/LinearAlgebra may import the C module.
@Suite struct SourceBoundaryTests {
  @Test func onlyLinearAlgebraImportsCLAPACK() throws {
    let sources = Fixtures.repositoryRoot.appendingPathComponent("Sources")
    let allowed = sources.appendingPathComponent("CLVNumerics/LinearAlgebra").path + "/"
    let files = FileManager.default.enumerator(atPath: sources.path)!
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
    #expect(files.count > 10, "found too few Swift files under \(sources.path)")
    var offenders: [String] = []
    for file in files {
      let path = sources.appendingPathComponent(file).path
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let importsC = text.split(separator: "\n").contains {
        $0.trimmingCharacters(in: .whitespaces).range(
          of: #"^(@_\w+\s+)?import\s+(\w+\s+)?CLAPACK\b"#, options: .regularExpression) != nil
      }
      if importsC && !path.hasPrefix(allowed) { offenders.append(file) }
    }
    #expect(offenders.isEmpty, "CLAPACK imported outside LinearAlgebra: \(offenders)")
  }
}
