extension ComparisonReport {
  /// One file of a rendered report.
  public struct File: Sendable, Equatable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) {
      self.path = path
      self.contents = contents
    }
  }

  /// The files of the report: with `markdown`, one SVG per chart beside it named after it
  /// (for `out/report.md`: `out/report-tracking-1.svg`, …) and the Markdown text; then the
  /// HTML page at `html`. Nothing is written: the caller writes them all or none.
  public func files(html: String, markdown: String? = nil) -> [File] {
    var files: [File] = []
    if let markdown {
      let (folder, stem) = Self.folderAndStem(markdown)
      let rendered = self.markdown(chartPrefix: stem + "-")
      for chart in rendered.charts {
        files.append(File(path: folder + chart.name, contents: chart.svg))
      }
      files.append(File(path: markdown, contents: rendered.text))
    }
    files.append(File(path: html, contents: self.html()))
    return files
  }

  /// `"out/report.md"` → (`"out/"`, `"report"`).
  public static func folderAndStem(_ path: String) -> (String, String) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    var name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      name = String(name[..<dot])
    }
    return (folder, name)
  }
}
