import Foundation
import TestSupport
import Testing

/// `clv report`: runs the built binary on the committed example run file.
@Suite struct ReportCommandTests {
  static let example = Fixtures.repositoryRoot
    .appendingPathComponent("Tests/CLVReportTests/Fixtures/example-run.json").path

  @Test func writesHTMLAndMarkdownWithCharts() throws {
    let folder = try Fixtures.temporaryDirectory()
    let html = folder.appendingPathComponent("report.html").path
    let markdown = folder.appendingPathComponent("report.md").path
    let result = try Fixtures.runCLV([
      "report", Self.example, Self.example, "-o", html, "--markdown", markdown,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.isEmpty && result.standardError.isEmpty)
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.components(separatedBy: "<svg").count - 1 >= 5)
    #expect(!page.contains("<script"))
    let text = try String(contentsOfFile: markdown, encoding: .utf8)
    #expect(text.hasPrefix("# Model comparison"))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    let charts = files.filter { $0.hasPrefix("report-") && $0.hasSuffix(".svg") }
    #expect(charts.count >= 5, "\(files)")
    for chart in charts { #expect(text.contains("](\(chart))")) }
    #expect(!files.contains { $0.contains(".tmp-") }, "temporary files left: \(files)")
  }

  @Test func htmlGoesToStandardOutput() throws {
    let result = try Fixtures.runCLV(
      ["report", "-", "-o", "-"], input: try String(contentsOfFile: Self.example, encoding: .utf8))
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.hasPrefix("<!DOCTYPE html>"))
    #expect(result.standardOutput.contains("&lt;stdin&gt;"))
  }

  @Test func invalidRunFileIsBadInputNamingTheFile() throws {
    let folder = try Fixtures.temporaryDirectory()
    let bad = folder.appendingPathComponent("broken.json")
    try "{\"schema\": \"clvkit.run/1\"}".write(to: bad, atomically: true, encoding: .utf8)
    let html = folder.appendingPathComponent("report.html")
    try "old report".write(to: html, atomically: true, encoding: .utf8)
    let result = try Fixtures.runCLV(["report", Self.example, bad.path, "-o", html.path])
    #expect(result.status == 65)
    #expect(
      result.standardError.hasPrefix("clv: error: \(bad.path): not a run file: missing field"),
      "\(result.standardError)")
    #expect(try String(contentsOf: html, encoding: .utf8) == "old report", "the old file must stay")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "broken.json", "report.html",
      ])
  }

  @Test func missingRunFileIsNotReadable() throws {
    let folder = try Fixtures.temporaryDirectory()
    let result = try Fixtures.runCLV([
      "report", folder.appendingPathComponent("nope.json").path, "-o",
      folder.appendingPathComponent("r.html").path,
    ])
    #expect(result.status == 66)
    #expect(result.standardError.contains("nope.json: cannot read: no such file"))
  }

  @Test func unwritableOutputIs73() throws {
    let result = try Fixtures.runCLV(["report", Self.example, "-o", "/nonexistent-folder/r.html"])
    #expect(result.status == 73)
    #expect(result.standardError.contains("/nonexistent-folder/r.html: cannot write"))
  }

  @Test func usageErrors() throws {
    #expect(try Fixtures.runCLV(["report", "-o", "r.html"]).status == 64)
    #expect(try Fixtures.runCLV(["report", Self.example]).status == 64)
    let result = try Fixtures.runCLV(["report", Self.example, "-o", "r.html", "--markdown", "-"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("--markdown needs a file name"))
  }
}
