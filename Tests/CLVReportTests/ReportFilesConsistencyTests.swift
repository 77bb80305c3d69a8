import CLVEvaluation
import CLVReport
import Testing

/// The files of a rendered report: the Markdown's charts beside it, named after it, then the
/// Markdown, then the HTML; the same text as the report's own renderings.
@Suite struct ReportFilesConsistencyTests {
  @Test func chartsGoBesideTheMarkdownNamedAfterIt() {
    let report = ComparisonReport([.init(file: "r.json", run: SyntheticRun.make())])
    let files = report.files(html: "out/report.html", markdown: "out/notes/report.md")
    let rendered = report.markdown(chartPrefix: "report-")
    #expect(files.count == rendered.charts.count + 2)
    #expect(files.last == ComparisonReport.File(path: "out/report.html", contents: report.html()))
    #expect(files[files.count - 2].path == "out/notes/report.md")
    #expect(files[files.count - 2].contents == rendered.text)
    for (file, chart) in zip(files, rendered.charts) {
      #expect(file.path == "out/notes/" + chart.name)
      #expect(file.path.hasPrefix("out/notes/report-") && file.path.hasSuffix(".svg"))
    }
    #expect(report.files(html: "r.html").map(\.path) == ["r.html"])
  }

  @Test func folderAndStem() {
    #expect(ComparisonReport.folderAndStem("out/report.md") == ("out/", "report"))
    #expect(ComparisonReport.folderAndStem("report") == ("", "report"))
    #expect(ComparisonReport.folderAndStem(".hidden") == ("", ".hidden"))
  }
}
