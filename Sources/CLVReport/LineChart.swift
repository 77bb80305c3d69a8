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

    public init(
      name: String, points: [Point], color: Color, dash: String? = nil, markers: Bool = false
    ) {
      self.name = name
      self.points = points
      self.color = color
      self.dash = dash
      self.markers = markers
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
      ?? NiceTicks(xs.min() ?? 0, xs.max() ?? 1, count: 7)
    let yTicks =
      yDomain.map { NiceTicks($0.lowerBound, $0.upperBound) }
      ?? NiceTicks(ys.min() ?? 0, ys.max() ?? 1, count: 6)
    var entries = series.map { LegendEntry(name: $0.name, symbol: .line($0.color, dash: $0.dash)) }
    if let diagonal {
      entries.append(LegendEntry(name: diagonal, symbol: .line(Palette.reference, dash: "5 4")))
    }
    let layout = ChartLayout(
      width: width, height: height, legend: entries, yTickLabels: yTicks.labels,
      hasXLabel: xLabel != nil, hasYLabel: yLabel != nil)
    let xScale = LinearScale(domain: xTicks.domain, range: (layout.plotLeft, layout.plotRight))
    let yScale = LinearScale(domain: yTicks.domain, range: (layout.plotBottom, layout.plotTop))

    var renderer = ChartRenderer(
      layout: layout, id: id, title: title, description: description, standalone: standalone)
    renderer.legend()
    renderer.yAxis(ticks: yTicks, scale: yScale, label: yLabel)
    renderer.xAxis(
      positions: xTicks.values.map { xScale($0) }, labels: xTicks.labels, label: xLabel)
    if diagonal != nil {
      let low = max(xTicks.domain.lowerBound, yTicks.domain.lowerBound)
      let high = min(xTicks.domain.upperBound, yTicks.domain.upperBound)
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
    for line in series.reversed() {
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
      if line.markers {
        for point in finite {
          renderer.writer.element(
            "circle",
            [
              "cx": c(xScale(point.x)), "cy": c(yScale(point.y)), "r": "3.5",
              "fill": line.color.hex, "stroke": "#FFFFFF", "stroke-width": "1",
            ])
        }
      }
      renderer.writer.close("g")
    }
    renderer.writer.close("g")
    let svg = renderer.finish()
    return standalone ? standaloneDocument(svg) : svg
  }
}
