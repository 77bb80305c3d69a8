/// Lines on linear x and y axes: the tracking plot, ROC curves, the calibration plot.
public struct LineChart: Chart {
  /// One line.
  public struct Series: Sendable, Equatable {
    public var name: String
    /// Points in drawing order.
    public var points: [Point]
    public var color: Color
    /// An SVG dash pattern, e.g. `"6 4"`; nil for solid.
    public var dash: String?
    /// Draws a dot at every point (for short series).
    public var markers: Bool
    /// The point symbol: drawn at every point with ``markers``, else at about eight points
    /// spread along the line, and in the legend; nil for none (circles with ``markers``).
    public var symbol: MarkerShape?

    public init(
      name: String, points: [Point], color: Color, dash: String? = nil, markers: Bool = false,
      symbol: MarkerShape? = nil
    ) {
      self.name = name
      self.points = points
      self.color = color
      self.dash = dash
      self.markers = markers
      self.symbol = symbol
    }

    /// A series drawn in `style` (colour, dash and point symbol).
    public init(
      name: String, points: [Point], style: SeriesStyle, markers: Bool = false
    ) {
      self.init(
        name: name, points: points, color: style.color, dash: style.dash, markers: markers,
        symbol: style.marker)
    }
  }

  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
      self.x = x
      self.y = y
    }
  }

  /// A labelled vertical line, e.g. the end of the calibration period.
  public struct VerticalMarker: Sendable, Equatable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
      self.x = x
      self.label = label
    }
  }

  public var title: String
  public var description: String?
  public var xLabel: String?
  public var yLabel: String?
  /// The lines, in legend order; the first is drawn on top of the others.
  public var series: [Series]
  public var markers: [VerticalMarker]
  /// Draws the line y = x across the plot with this legend name (ROC chance line, perfect
  /// calibration); nil for none.
  public var diagonal: String?
  /// Fixed domains (the ROC square); nil to fit the data with nice ticks.
  public var xDomain: ClosedRange<Double>?
  public var yDomain: ClosedRange<Double>?
  /// Extends the y axis to 0.
  public var yIncludesZero: Bool
  public var width: Double
  public var height: Double

  public init(
    title: String, description: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    series: [Series], markers: [VerticalMarker] = [], diagonal: String? = nil,
    xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil,
    yIncludesZero: Bool = true, width: Double = 720, height: Double = 400
  ) {
    self.title = title
    self.description = description
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.markers = markers
    self.diagonal = diagonal
    self.xDomain = xDomain
    self.yDomain = yDomain
    self.yIncludesZero = yIncludesZero
    self.width = width
    self.height = height
  }

  public func svg(id: String, standalone: Bool) -> String {
    let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    let xs = points.map(\.x) + markers.map(\.x)
    let ys = points.map(\.y) + (yIncludesZero ? [0] : [])
    let xTicks =
      xDomain.map { NiceTicks($0.lowerBound, $0.upperBound) }
      ?? NiceTicks(xs.min() ?? 0, xs.max() ?? 1, count: 10)
    // The x axis ends at the data (a 104-week series is not drawn to 150), with the nice
    // ticks that fall inside it; fixed domains (ROC) are kept.
    let xDataDomain: ClosedRange<Double>
    if xDomain == nil, let low = xs.min(), let high = xs.max(), high > low {
      xDataDomain = low...high
    } else {
      xDataDomain = xTicks.domain
    }
    let xTickValues = xTicks.values.filter {
      xDataDomain.contains($0) || abs($0 - xDataDomain.upperBound) < 1e-9 * xTicks.step.value
    }
    let xTickLabels = zip(xTicks.values, xTicks.labels).filter { xTickValues.contains($0.0) }
      .map(\.1)
    let yTicks =
      yDomain.map { NiceTicks($0.lowerBound, $0.upperBound) }
      ?? NiceTicks(ys.min() ?? 0, ys.max() ?? 1, count: 6)
    var entries = series.map { line in
      LegendEntry(
        name: line.name,
        symbol: line.symbol.map { .lineWithMarker(line.color, dash: line.dash, marker: $0) }
          ?? .line(line.color, dash: line.dash))
    }
    if let diagonal {
      entries.append(LegendEntry(name: diagonal, symbol: .line(Palette.reference, dash: "5 4")))
    }
    let layout = ChartLayout(
      width: width, height: height, title: title, legend: entries, yTickLabels: yTicks.labels,
      hasXLabel: xLabel != nil, hasYLabel: yLabel != nil)
    let xScale = LinearScale(domain: xDataDomain, range: (layout.plotLeft, layout.plotRight))
    let yScale = LinearScale(domain: yTicks.domain, range: (layout.plotBottom, layout.plotTop))

    var renderer = ChartRenderer(
      layout: layout, id: id, title: title, description: description, standalone: standalone)
    renderer.legend()
    renderer.yAxis(ticks: yTicks, scale: yScale, label: yLabel)
    renderer.xAxis(
      positions: xTickValues.map { xScale($0) }, labels: xTickLabels, label: xLabel)
    if diagonal != nil {
      let low = max(xDataDomain.lowerBound, yTicks.domain.lowerBound)
      let high = min(xDataDomain.upperBound, yTicks.domain.upperBound)
      renderer.writer.element(
        "line",
        [
          "class": "reference", "x1": c(xScale(low)), "y1": c(yScale(low)),
          "x2": c(xScale(high)), "y2": c(yScale(high)), "stroke": Palette.reference.hex,
          "stroke-width": "1.5", "stroke-dasharray": "5 4",
        ],
        text: nil)
    }
    for marker in markers {
      let x = xScale(marker.x)
      renderer.writer.open("g", ["class": "marker"])
      renderer.writer.element(
        "line",
        [
          "x1": c(x), "y1": c(layout.plotTop), "x2": c(x), "y2": c(layout.plotBottom),
          "stroke": Palette.reference.hex, "stroke-width": "1.5", "stroke-dasharray": "4 3",
        ])
      renderer.writer.element(
        "text",
        [
          "x": c(x + 6), "y": c(layout.plotTop + 14), "font-size": c(ChartStyle.tickSize),
          "fill": Palette.mutedText.hex,
        ],
        text: marker.label)
      renderer.writer.close("g")
    }
    renderer.writer.open("g", ["class": "series-group", "fill": "none"])
    // The first series is drawn last, on top (the report puts the actual data first).
    for (seriesIndex, line) in series.enumerated().reversed() {
      let finite = line.points.filter { $0.x.isFinite && $0.y.isFinite }
      let coordinates = finite.map { "\(c(xScale($0.x))),\(c(yScale($0.y)))" }
        .joined(separator: " ")
      renderer.writer.open("g", ["class": "series", "data-name": line.name])
      renderer.writer.element(
        "polyline",
        [
          "points": coordinates, "stroke": line.color.hex, "stroke-width": "2.5",
          "stroke-linejoin": "round", "stroke-linecap": "round",
          "stroke-dasharray": line.dash, "fill": "none",
        ])
      if line.markers || line.symbol != nil {
        // Long lines carry about eight symbols, offset per series so that they do not sit
        // on top of each other where lines overlap.
        let every = line.markers ? 1 : max(finite.count / 8, 1)
        let offset = line.markers ? 0 : (seriesIndex * max(every / 3, 1)) % every
        for (index, point) in finite.enumerated() where index % every == offset {
          renderer.marker(
            line.symbol ?? .circle, x: xScale(point.x), y: yScale(point.y), color: line.color,
            size: 3.5)
        }
      }
      renderer.writer.close("g")
    }
    renderer.writer.close("g")
    let svg = renderer.finish()
    return standalone ? standaloneDocument(svg) : svg
  }
}
