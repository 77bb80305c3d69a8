extension ComparisonReport {
  /// The report as one self-contained HTML page: inline CSS and inline SVG, no scripts, no
  /// network resources, no web fonts. The markup is also well-formed XML (polyglot), which the
  /// tests use to check its structure.
  public func html() -> String {
    let document = document()
    var html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <meta name="generator" content="clvkit"/>
      <title>\(Markup.escape(document.title))</title>
      <style>
      \(Self.css)
      </style>
      </head>
      <body>
      <main>
      <header>
      <h1>\(Markup.escape(document.title))</h1>
      <p class="subtitle">\(Markup.escape(document.subtitle))</p>
      </header>

      """
    for block in document.blocks {
      switch block {
      case .heading(let level, let text, let anchor):
        let id = anchor.map { " id=\"\(Markup.escape($0))\"" } ?? ""
        html += "<h\(level)\(id)>\(Markup.escape(text))</h\(level)>\n"
      case .paragraph(let text):
        html += "<p>\(Markup.escape(text))</p>\n"
      case .note(let text):
        html += "<footer><p class=\"note\">\(Markup.escape(text))</p></footer>\n"
      case .bullets(let items):
        html += "<ul class=\"headlines\">\n"
        for item in items { html += "<li>\(Markup.escape(item))</li>\n" }
        html += "</ul>\n"
      case .table(let table):
        html += Self.htmlTable(table)
      case .figures(let figures):
        html += "<div class=\"figures figures-\(min(figures.count, 2))\">\n"
        for figure in figures {
          html += "<figure>\n"
          html += figure.chart.svg(id: "chart-\(figure.name)", standalone: false)
          html += "<figcaption>\(Markup.escape(figure.caption))</figcaption>\n</figure>\n"
        }
        html += "</div>\n"
      }
    }
    html += "</main>\n</body>\n</html>\n"
    return html
  }

  static func htmlTable(_ table: Table) -> String {
    var html =
      "<div class=\"table-wrap\"><table>\n<caption>\(Markup.escape(table.caption))</caption>\n"
    html += "<thead><tr>"
    for (index, header) in table.headers.enumerated() {
      let numeric = index < table.numeric.count && table.numeric[index]
      html += "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")>\(Markup.escape(header))</th>"
    }
    html += "</tr></thead>\n<tbody>\n"
    for row in table.rows {
      html += "<tr>"
      for (index, cell) in row.enumerated() {
        let numeric = index < table.numeric.count && table.numeric[index]
        let text = Markup.escape(cell.text)
        let content = cell.emphasized ? "<strong>\(text)</strong>" : text
        if index == 0 {
          html += "<th scope=\"row\">\(content)</th>"
        } else {
          html += "<td\(numeric ? " class=\"num\"" : "")>\(content)</td>"
        }
      }
      html += "</tr>\n"
    }
    html += "</tbody>\n</table></div>\n"
    return html
  }

  /// The report as Markdown: the same headings, summary and tables, with each chart written
  /// as an SVG file named `<prefix><chart>.svg` and linked from the text.
  ///
  /// - Parameter chartPrefix: prepended to each SVG file name (e.g. `report-`), relative to
  ///   the Markdown file.
  /// - Returns: the Markdown text and the SVG files (name, standalone SVG document).
  public func markdown(chartPrefix: String) -> (text: String, charts: [(name: String, svg: String)])
  {
    let document = document()
    var text =
      "# \(Self.markdownEscape(document.title))\n\n\(Self.markdownEscape(document.subtitle))\n\n"
    var charts: [(String, String)] = []
    for block in document.blocks {
      switch block {
      case .heading(let level, let title, _):
        text += String(repeating: "#", count: level) + " \(Self.markdownEscape(title))\n\n"
      case .paragraph(let paragraph):
        text += Self.markdownEscape(paragraph) + "\n\n"
      case .note(let note):
        text += "---\n\n_\(Self.markdownEscape(note))_\n\n"
      case .bullets(let items):
        text += items.map { "- " + Self.markdownEscape($0) }.joined(separator: "\n") + "\n\n"
      case .table(let table):
        text += Self.markdownTable(table)
      case .figures(let figures):
        for figure in figures {
          let name = "\(chartPrefix)\(figure.name).svg"
          charts.append((name, figure.chart.svg(id: "chart-\(figure.name)", standalone: true)))
          let link = name.replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
          text += "![\(Self.markdownEscape(figure.chart.title))](\(link))\n\n"
          text += "_\(Self.markdownEscape(figure.caption))_\n\n"
        }
      }
    }
    return (text, charts)
  }

  static func markdownTable(_ table: Table) -> String {
    func cell(_ text: String) -> String {
      markdownEscape(text).replacingOccurrences(of: "|", with: "\\|")
        .replacingOccurrences(of: "\n", with: " ")
    }
    var text = "**\(markdownEscape(table.caption))**\n\n"
    text += "| " + table.headers.map(cell).joined(separator: " | ") + " |\n"
    text +=
      "|"
      + table.headers.indices.map { index in
        index < table.numeric.count && table.numeric[index] ? "---:" : "---"
      }.joined(separator: "|") + "|\n"
    for row in table.rows {
      text +=
        "| "
        + row.map { $0.emphasized ? "**\(cell($0.text))**" : cell($0.text) }
        .joined(separator: " | ") + " |\n"
    }
    return text + "\n"
  }

  /// Escapes the Markdown characters that could change the meaning of plain text.
  static func markdownEscape(_ text: String) -> String {
    var result = ""
    for character in text {
      if "\\`*_[]<>#".contains(character) { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// The page's style sheet: system fonts, a readable measure, aligned numeric columns
  /// (tabular figures), and print rules (no breaks inside figures and tables).
  static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #F6F6F4; color: #1A1A1A;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        "Liberation Sans", sans-serif;
      font-size: 15px; line-height: 1.5; }
    main { max-width: 1160px; margin: 0 auto; padding: 32px 40px 48px; background: #FFFFFF; }
    header { border-bottom: 2px solid #1A1A1A; margin-bottom: 8px; padding-bottom: 12px; }
    h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }
    h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px;
      border-bottom: 1px solid #D9D9D9; }
    p { margin: 8px 0 12px; max-width: 80ch; }
    .subtitle { color: #555555; margin: 0; max-width: none; }
    ul.headlines { margin: 8px 0 20px; padding-left: 22px; max-width: 90ch; }
    ul.headlines li { margin: 4px 0; }
    .table-wrap { overflow-x: auto; margin: 14px 0 22px; }
    table { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 6px;
      color: #1A1A1A; }
    th, td { padding: 5px 12px; border-bottom: 1px solid #E3E3E3; text-align: left;
      vertical-align: top; overflow-wrap: anywhere; }
    td.num { white-space: nowrap; }
    thead th { border-bottom: 2px solid #1A1A1A; font-weight: 600; background: #FAFAFA; }
    tbody th { font-weight: 500; }
    tbody tr:nth-child(even) { background: #FAFAFA; }
    .num { text-align: right; }
    strong { font-weight: 700; }
    .figures { display: flex; flex-wrap: wrap; gap: 20px; margin: 16px 0 24px; }
    figure { margin: 0; flex: 1 1 480px; min-width: 0; }
    .figures-1 figure { flex-basis: 100%; max-width: 820px; }
    figure svg { display: block; width: 100%; height: auto; border: 1px solid #E3E3E3; }
    figcaption { font-size: 13px; color: #555555; margin-top: 6px; max-width: 80ch; }
    footer { margin-top: 40px; border-top: 1px solid #D9D9D9; }
    .note { font-size: 12.5px; color: #555555; max-width: none; }
    @media print {
      body { background: #FFFFFF; font-size: 11pt; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      figure, table, .headlines { break-inside: avoid; }
      .table-wrap { overflow: visible; }
      figure svg { border: none; }
    }
    @page { margin: 16mm 14mm; }
    """
}
