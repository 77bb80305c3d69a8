import Foundation
import TestSupport
import Testing

@testable import CLVReport

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element tree, for structural checks of SVG and HTML output.
final class XMLNode {
  let name: String
  let attributes: [String: String]
  var children: [XMLNode] = []
  var text = ""
  weak var parent: XMLNode?

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  /// Every element below this one (depth first), including itself.
  var all: [XMLNode] { [self] + children.flatMap(\.all) }

  func elements(_ name: String) -> [XMLNode] { all.filter { $0.name == name } }

  /// Elements whose `class` attribute contains `className`.
  func elements(class className: String) -> [XMLNode] {
    all.filter {
      ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(className))
    }
  }

  /// The text of this element and its descendants, without leading and trailing whitespace.
  var allText: String { rawText.trimmingCharacters(in: .whitespacesAndNewlines) }

  private var rawText: String { text + children.map(\.rawText).joined() }

  /// Parses `text` as XML; records a test issue and returns nil when it is not well-formed.
  static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> XMLNode? {
    let builder = Builder()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
      let error = parser.parserError.map { "\($0)" } ?? "unknown"
      Issue.record(
        "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(error)",
        sourceLocation: sourceLocation)
      return nil
    }
    return root
  }

  private final class Builder: NSObject, XMLParserDelegate {
    var root: XMLNode?
    var current: XMLNode?

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      let node = XMLNode(name: elementName, attributes: attributes)
      node.parent = current
      current?.children.append(node)
      if root == nil { root = node }
      current = node
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      current = current?.parent
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      current?.text += string
    }
  }
}

@Suite struct ChartSVGTests {
  static let tricky = "A<B & \"C\" 'd'"

  static func lineChart() -> LineChart {
    LineChart(
      title: "Cumulative repeat purchases",
      xLabel: "Weeks", yLabel: "Purchases",
      series: [
        .init(
          name: "Actual", points: (1...78).map { .init(Double($0), Double($0 * $0)) },
          color: Palette.actual),
        .init(
          name: tricky, points: (1...78).map { .init(Double($0), Double($0 * $0) * 1.1) },
          color: Palette.color(0), dash: "7 4"),
      ],
      markers: [.init(x: 39, label: "Calibration end")])
  }

  @Test func lineChartIsWellFormedWithAxesLegendAndMarker() throws {
    let svg = Self.lineChart().svg(id: "t", standalone: true)
    let root = try #require(XMLNode.parse(svg))
    #expect(root.name == "svg")
    #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(root.attributes["viewBox"] == "0 0 720 400")
    #expect(root.elements("title").first?.text == "Cumulative repeat purchases")
    let xAxis = try #require(root.elements(class: "axis-x").first)
    let yAxis = try #require(root.elements(class: "axis-y").first)
    // [Heckbert1990] with 10 ticks on x: range nicenum(77) = 100, step nicenum(11.1) = 10; the
    // axis ends at the data (1 … 78), so only the ticks inside it are drawn;
    // 6 on y (max 78²·1.1 = 6,692.4): range 10,000, step 2,000.
    #expect(
      xAxis.elements(class: "tick-label").map(\.text) == ["10", "20", "30", "40", "50", "60", "70"])
    #expect(
      yAxis.elements(class: "tick-label").map(\.text) == ["0", "2,000", "4,000", "6,000", "8,000"])
    #expect(xAxis.elements(class: "axis-title").first?.text == "Weeks")
    #expect(yAxis.elements(class: "axis-title").first?.text == "Purchases")
    let legend = root.elements(class: "legend-entry").map(\.allText)
    #expect(legend == ["Actual", Self.tricky], "escaped text must round-trip: \(legend)")
    #expect(root.elements(class: "marker").first?.allText == "Calibration end")
    #expect(root.elements("polyline").count == 2)
    #expect(svg.contains("A&lt;B &amp; &quot;C&quot; &#39;d&#39;"))
  }

  @Test func outputIsDeterministic() {
    let chart = Self.lineChart()
    #expect(chart.svg(id: "a", standalone: false) == chart.svg(id: "a", standalone: false))
  }

  @Test func inlineSVGHasNoNamespaceOrURL() {
    let svg = Self.lineChart().svg(id: "a", standalone: false)
    #expect(!svg.contains("http"))
    #expect(!svg.hasPrefix("<?xml"))
  }

  @Test func groupedBarChartHasOneBarPerValueAndAReference() throws {
    let chart = BarChart(
      title: "Lift", xLabel: "Decile", yLabel: "Lift",
      categories: (1...10).map(String.init),
      series: [
        .init(
          name: "BG/NBD", values: (1...10).map { 2 - Double($0) / 10 }, color: Palette.color(0)),
        .init(
          name: "Churn logit", values: (1...10).map { $0 == 4 ? nil : 1.5 }, color: Palette.color(1)
        ),
      ],
      reference: .init(y: 1, label: "Average"))
    let root = try #require(XMLNode.parse(chart.svg(id: "lift", standalone: true)))
    let series = root.elements(class: "series")
    #expect(series.count == 2)
    #expect(series[0].elements("rect").count == 10)
    #expect(series[1].elements("rect").count == 9, "a nil value leaves a gap")
    #expect(root.elements(class: "legend-entry").map(\.allText) == ["BG/NBD", "Churn logit"])
    #expect(root.elements(class: "axis-x").first!.elements(class: "tick-label").count == 10)
    #expect(root.elements(class: "reference").first?.allText == "Average")
    // The y axis starts at 0 and encloses the largest value, 1.9 ([Heckbert1990]: step 0.5).
    let labels = root.elements(class: "axis-y").first!.elements(class: "tick-label").map(\.text)
    #expect(labels == ["0.0", "0.5", "1.0", "1.5", "2.0"])
  }

  @Test func stackedHistogramStacksLayers() throws {
    let chart = Histogram(
      title: "P(alive)", xLabel: "P(alive)", yLabel: "Customers",
      bins: (0..<10).map { Double($0) / 10...Double($0 + 1) / 10 },
      layers: [
        .init(name: "Bought", counts: Array(repeating: 10, count: 10), color: Palette.color(0)),
        .init(name: "Did not", counts: Array(repeating: 30, count: 10), color: Palette.color(4)),
      ])
    let root = try #require(XMLNode.parse(chart.svg(id: "h", standalone: true)))
    #expect(root.elements(class: "legend-entry").count == 2)
    let layers = root.elements(class: "series")
    let bottom = layers[0].elements("rect")[0]
    let top = layers[1].elements("rect")[0]
    let bottomY = Double(bottom.attributes["y"]!)!
    let topY = Double(top.attributes["y"]!)!
    let topHeight = Double(top.attributes["height"]!)!
    assertClose(
      topY + topHeight, bottomY, absolute: 0.02, source: "stacked: layer 2 sits on layer 1")
    #expect(
      root.elements(class: "axis-x").first!.elements(class: "tick-label").map(\.text)
        == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  @Test func rocChartDrawsTheChanceDiagonal() throws {
    let chart = LineChart(
      title: "ROC", xLabel: "FPR", yLabel: "TPR",
      series: [
        .init(
          name: "m", points: [.init(0, 0), .init(0.2, 0.6), .init(1, 1)],
          color: Palette.color(0))
      ],
      diagonal: "Chance", xDomain: 0...1, yDomain: 0...1, width: 500, height: 480)
    let root = try #require(XMLNode.parse(chart.svg(id: "roc", standalone: true)))
    let diagonal = try #require(root.elements(class: "reference").first)
    #expect(diagonal.name == "line")
    #expect(root.elements(class: "legend-entry").map(\.allText) == ["m", "Chance"])
  }

  @Test func controlCharactersAreReplaced() {
    #expect(Markup.escape("a\u{1}b") == "a\u{FFFD}b")
    #expect(Markup.escape("<&>") == "&lt;&amp;&gt;")
  }
}

/// The palette against its sources: the Okabe–Ito sRGB values and WCAG contrast.
@Suite struct PaletteCorrectnessTests {
  /// [OkabeIto2008]: blue (0, 114, 178), vermillion (213, 94, 0), bluish green (0, 158, 115),
  /// reddish purple (204, 121, 167), orange (230, 159, 0), sky blue (86, 180, 233).
  @Test func seriesColoursAreOkabeIto() {
    #expect(
      Palette.series.map(\.hex) == [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
        "#56B4E9",
      ])
  }

  /// [WCAG21]: black on white is 21:1.
  @Test func contrastOfBlackOnWhiteIs21() {
    assertClose(
      Color(0, 0, 0).contrast(with: .white), 21, absolute: 1e-12,
      source: "WCAG 2.1 contrast ratio definition")
  }

  /// The first four series colours reach 3:1 on white (WCAG 1.4.11, graphical objects); the
  /// text colours reach 4.5:1 (AA).
  @Test func coloursAreReadableOnWhite() {
    for color in Palette.series.prefix(4) {
      #expect(color.contrast(with: .white) >= 3, "\(color.hex)")
    }
    for color in [Palette.text, Palette.mutedText, Palette.axis] {
      #expect(color.contrast(with: .white) >= 4.5, "\(color.hex)")
    }
    // Series past the fourth are dashed, so they do not rely on colour alone.
    #expect(Palette.dash(4) != nil && Palette.dash(5) != nil && Palette.dash(0) == nil)
  }
}
