/// A chart that renders itself as an SVG document.
public protocol Chart: Sendable {
  /// The chart's title, drawn at the top and used as the SVG `<title>`.
  var title: String { get }
  /// Renders the chart. `id` prefixes element ids (unique within an HTML page); `standalone`
  /// adds the XML namespace and declaration needed for a `.svg` file (inline SVG in HTML needs
  /// neither).
  func svg(id: String, standalone: Bool) -> String
}

/// The symbol of a legend entry.
public enum LegendSymbol: Sendable, Equatable {
  case line(Color, dash: String?)
  /// A line with its point symbol (series that differ by marker as well as by dash).
  case lineWithMarker(Color, dash: String?, marker: MarkerShape)
  case swatch(Color)
  /// A bar swatch in a series style (solid or hatched).
  case styledSwatch(SeriesStyle)
}

/// A legend entry: a symbol and a name.
public struct LegendEntry: Sendable, Equatable {
  public var name: String
  public var symbol: LegendSymbol
  public init(name: String, symbol: LegendSymbol) {
    self.name = name
    self.symbol = symbol
  }
}

/// Fonts and sizes shared by every chart.
enum ChartStyle {
  /// A system font stack (no web fonts: reports work offline).
  static let fontFamily =
    "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, Liberation Sans, sans-serif"
  static let titleSize = 15.0
  static let labelSize = 12.0
  static let tickSize = 11.0
  static let legendSize = 12.0
  /// Average glyph width of the sans fonts above, in em (for layout; errs on the wide side).
  static let averageGlyphWidth = 0.6

  static func textWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * averageGlyphWidth
  }

  /// `text` broken at spaces into lines no wider than `width` (a word longer than the width
  /// stays on its own line): titles wrap instead of running off the chart.
  static func wrap(_ text: String, width: Double, size: Double) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if !current.isEmpty && textWidth(candidate, size: size) > width {
        lines.append(current)
        current = String(word)
      } else {
        current = candidate
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }
}

/// The drawing area of a chart: the outer size, the plot rectangle, and the legend rows,
/// computed from the title, the legend and the widest tick label.
struct ChartLayout {
  let width: Double
  let height: Double
  let plotLeft: Double
  let plotTop: Double
  let plotRight: Double
  let plotBottom: Double
  /// Legend entries with their positions (x of the symbol, baseline y).
  let legend: [(entry: LegendEntry, x: Double, y: Double)]
  /// The title, wrapped to the chart width.
  let titleLines: [String]

  init(
    width: Double, height: Double, title: String = "", legend entries: [LegendEntry],
    yTickLabels: [String], hasXLabel: Bool, hasYLabel: Bool, xTickRows: Int = 1,
    rightMargin: Double = 0, topMargin: Double = 0
  ) {
    self.width = width
    let outer = 14.0
    titleLines = ChartStyle.wrap(title, width: width - 2 * outer, size: ChartStyle.titleSize)
    // Each extra title line makes the chart taller, so the plot keeps its size.
    let extra = Double(titleLines.count - 1) * (ChartStyle.titleSize + 4)
    self.height = height + extra
    let height = height + extra
    let titleBaseline = outer + ChartStyle.titleSize + extra
    // Legend rows under the title, wrapped to the chart width.
    var placed: [(LegendEntry, Double, Double)] = []
    var x = outer
    var y = titleBaseline + 22
    for entry in entries {
      let itemWidth = 26 + ChartStyle.textWidth(entry.name, size: ChartStyle.legendSize) + 18
      if x > outer && x + itemWidth > width - outer {
        x = outer
        y += 20
      }
      placed.append((entry, x, y))
      x += itemWidth
    }
    legend = placed
    let legendBottom = entries.isEmpty ? titleBaseline : y + 6
    plotTop = legendBottom + 16 + topMargin
    let tickWidth =
      yTickLabels.map { ChartStyle.textWidth($0, size: ChartStyle.tickSize) }
      .max() ?? 0
    plotLeft = outer + (hasYLabel ? ChartStyle.labelSize + 10 : 0) + tickWidth + 10
    plotRight = width - outer - 8 - rightMargin
    plotBottom =
      height - outer - (hasXLabel ? ChartStyle.labelSize + 10 : 0)
      - Double(xTickRows) * (ChartStyle.tickSize + 4) - 8
  }

  var plotWidth: Double { plotRight - plotLeft }
  var plotHeight: Double { plotBottom - plotTop }
}

/// Shared drawing steps: the SVG root, title, legend, grid and axes.
struct ChartRenderer {
  var writer = SVGWriter()
  let layout: ChartLayout
  let id: String

  init(layout: ChartLayout, id: String, title: String, description: String?, standalone: Bool) {
    self.layout = layout
    self.id = id
    var writer = SVGWriter()
    let size = "0 0 \(c(layout.width)) \(c(layout.height))"
    writer.open(
      "svg",
      [
        "xmlns": standalone ? "http://www.w3.org/2000/svg" : nil,
        "class": "chart", "id": id, "viewBox": size,
        "width": c(layout.width), "height": c(layout.height),
        "role": "img", "aria-labelledby": "\(id)-title",
        "font-family": ChartStyle.fontFamily, "font-size": c(ChartStyle.labelSize),
      ])
    writer.element("title", ["id": "\(id)-title"], text: title)
    if let description { writer.element("desc", text: description) }
    writer.element(
      "rect",
      [
        "class": "background", "width": c(layout.width), "height": c(layout.height),
        "fill": "#FFFFFF",
      ])
    writer.open(
      "text",
      [
        "class": "chart-title", "x": "14", "y": c(14 + ChartStyle.titleSize),
        "font-size": c(ChartStyle.titleSize), "font-weight": "600",
        "fill": Palette.text.hex,
      ])
    for (index, line) in layout.titleLines.enumerated() {
      writer.element(
        "tspan", ["x": "14", "dy": index == 0 ? nil : c(ChartStyle.titleSize + 4)], text: line)
    }
    writer.close("text")
    self.writer = writer
  }

  mutating func legend() {
    guard !layout.legend.isEmpty else { return }
    writer.open("g", ["class": "legend", "font-size": c(ChartStyle.legendSize)])
    for (entry, x, y) in layout.legend {
      writer.open("g", ["class": "legend-entry"])
      switch entry.symbol {
      case .line(let color, let dash):
        writer.element(
          "line",
          [
            "x1": c(x), "y1": c(y - 4), "x2": c(x + 20), "y2": c(y - 4),
            "stroke": color.hex, "stroke-width": "2.5", "stroke-dasharray": dash,
          ])
      case .lineWithMarker(let color, let dash, let marker):
        writer.element(
          "line",
          [
            "x1": c(x), "y1": c(y - 4), "x2": c(x + 20), "y2": c(y - 4),
            "stroke": color.hex, "stroke-width": "2.5", "stroke-dasharray": dash,
          ])
        self.marker(marker, x: x + 10, y: y - 4, color: color)
      case .swatch(let color):
        writer.element(
          "rect",
          [
            "x": c(x + 3), "y": c(y - 11), "width": "13", "height": "13", "fill": color.hex,
            "stroke": color.darkened(0.35).hex, "stroke-width": "1",
          ])
      case .styledSwatch(let style):
        bar(x: x + 3, y: y - 11, width: 13, height: 13, style: style)
      }
      writer.element(
        "text", ["x": c(x + 26), "y": c(y), "fill": Palette.text.hex], text: entry.name)
      writer.close("g")
    }
    writer.close("g")
  }

  /// Horizontal grid lines and the y axis with ticks, labels and title.
  mutating func yAxis(
    ticks: NiceTicks, scale: LinearScale, label: String?, only: [Double]? = nil,
    labels: [String]? = nil, grid: Bool = true
  ) {
    let values = only ?? ticks.values
    let texts = labels ?? ticks.labels
    writer.open("g", ["class": "grid"])
    for value in values where grid {
      let y = scale(value)
      writer.element(
        "line",
        [
          "x1": c(layout.plotLeft), "y1": c(y), "x2": c(layout.plotRight), "y2": c(y),
          "stroke": Palette.grid.hex, "stroke-width": "1",
        ])
    }
    writer.close("g")
    writer.open("g", ["class": "axis axis-y", "font-size": c(ChartStyle.tickSize)])
    writer.element(
      "line",
      [
        "x1": c(layout.plotLeft), "y1": c(layout.plotTop), "x2": c(layout.plotLeft),
        "y2": c(layout.plotBottom), "stroke": Palette.axis.hex, "stroke-width": "1",
      ])
    for (value, text) in zip(values, texts) {
      let y = scale(value)
      writer.element(
        "line",
        [
          "class": "tick", "x1": c(layout.plotLeft - 5), "y1": c(y), "x2": c(layout.plotLeft),
          "y2": c(y), "stroke": Palette.axis.hex, "stroke-width": "1",
        ])
      writer.element(
        "text",
        [
          "class": "tick-label", "x": c(layout.plotLeft - 8), "y": c(y + 4),
          "text-anchor": "end", "fill": Palette.mutedText.hex,
        ],
        text: text)
    }
    if let label {
      let x = 14 + ChartStyle.labelSize - 2
      let y = (layout.plotTop + layout.plotBottom) / 2
      writer.element(
        "text",
        [
          "class": "axis-title", "x": c(x), "y": c(y), "text-anchor": "middle",
          "transform": "rotate(-90 \(c(x)) \(c(y)))", "font-size": c(ChartStyle.labelSize),
          "fill": Palette.text.hex,
        ],
        text: label)
    }
    writer.close("g")
  }

  /// The x axis with ticks at `positions` (pixel x) labelled by `labels`, and its title.
  mutating func xAxis(
    positions: [Double], labels: [String], tickMarks: Bool = true,
    label: String?
  ) {
    writer.open("g", ["class": "axis axis-x", "font-size": c(ChartStyle.tickSize)])
    writer.element(
      "line",
      [
        "x1": c(layout.plotLeft), "y1": c(layout.plotBottom), "x2": c(layout.plotRight),
        "y2": c(layout.plotBottom), "stroke": Palette.axis.hex, "stroke-width": "1",
      ])
    for (x, text) in zip(positions, labels) {
      if tickMarks {
        writer.element(
          "line",
          [
            "class": "tick", "x1": c(x), "y1": c(layout.plotBottom), "x2": c(x),
            "y2": c(layout.plotBottom + 5), "stroke": Palette.axis.hex, "stroke-width": "1",
          ])
      }
      writer.element(
        "text",
        [
          "class": "tick-label", "x": c(x), "y": c(layout.plotBottom + 8 + ChartStyle.tickSize),
          "text-anchor": "middle", "fill": Palette.mutedText.hex,
        ],
        text: text)
    }
    if let label {
      writer.element(
        "text",
        [
          "class": "axis-title", "x": c((layout.plotLeft + layout.plotRight) / 2),
          "y": c(layout.height - 14), "text-anchor": "middle",
          "font-size": c(ChartStyle.labelSize), "fill": Palette.text.hex,
        ],
        text: label)
    }
    writer.close("g")
  }

  mutating func finish() -> String {
    writer.close("svg")
    return writer.output
  }
}

/// The SVG document for a standalone file: XML declaration plus the chart.
func standaloneDocument(_ svg: String) -> String {
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg
}
