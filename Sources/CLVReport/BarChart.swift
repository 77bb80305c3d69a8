/// Grouped bars over categories: the conditional expectation by frequency, the lift chart,
/// the spend comparison.
public struct BarChart: Chart {
  /// One bar per category.
  public struct Series: Sendable, Equatable {
    public var name: String
    /// One value per category; nil leaves a gap.
    public var values: [Double?]
    public var color: Color
    /// The bar fill's variant (solid or hatched, ``SeriesStyle``); nil for solid.
    public var style: SeriesStyle?

    public init(name: String, values: [Double?], color: Color) {
      self.name = name
      self.values = values
      self.color = color
    }

    /// Bars in `style` (colour, and hatching for its variant).
    public init(name: String, values: [Double?], style: SeriesStyle) {
      self.init(name: name, values: values, color: style.color)
      self.style = style
    }
  }

  /// A labelled horizontal line, e.g. lift = 1.
  public struct Reference: Sendable, Equatable {
    public var y: Double
    public var label: String
    public init(y: Double, label: String) {
      self.y = y
      self.label = label
    }
  }

  public var title: String
  public var description: String?
  public var xLabel: String?
  public var yLabel: String?
  public var categories: [String]
  public var series: [Series]
  public var reference: Reference?
  public var width: Double
  public var height: Double

  public init(
    title: String, description: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    categories: [String], series: [Series], reference: Reference? = nil, width: Double = 720,
    height: Double = 400
  ) {
    self.title = title
    self.description = description
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.categories = categories
    self.series = series
    self.reference = reference
    self.width = width
    self.height = height
  }

  public func svg(id: String, standalone: Bool) -> String {
    let values =
      series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
      + [0] + (reference.map { [$0.y] } ?? [])
    let yTicks = NiceTicks(values.min() ?? 0, values.max() ?? 1, count: 6)
    let entries = series.map { bars in
      LegendEntry(
        name: bars.name, symbol: bars.style.map { .styledSwatch($0) } ?? .swatch(bars.color))
    }
    let layout = ChartLayout(
      width: width, height: height, title: title, legend: entries, yTickLabels: yTicks.labels,
      hasXLabel: xLabel != nil, hasYLabel: yLabel != nil)
    let yScale = LinearScale(domain: yTicks.domain, range: (layout.plotBottom, layout.plotTop))
    let band = layout.plotWidth / Double(max(categories.count, 1))
    let groupWidth = band * 0.8
    let barWidth = groupWidth / Double(max(series.count, 1))
    let centers = categories.indices.map { layout.plotLeft + band * (Double($0) + 0.5) }

    var renderer = ChartRenderer(
      layout: layout, id: id, title: title, description: description, standalone: standalone)
    renderer.legend()
    renderer.yAxis(ticks: yTicks, scale: yScale, label: yLabel)
    renderer.xAxis(positions: centers, labels: categories, tickMarks: false, label: xLabel)
    let zero = yScale(0)
    renderer.writer.open("g", ["class": "series-group"])
    for (index, bars) in series.enumerated() {
      renderer.writer.open("g", ["class": "series", "data-name": bars.name])
      for (category, value) in bars.values.enumerated() where category < categories.count {
        guard let value, value.isFinite else { continue }
        let x = centers[category] - groupWidth / 2 + barWidth * Double(index)
        let y = yScale(value)
        renderer.bar(
          x: x + 0.5, y: min(y, zero), width: max(barWidth - 1, 0.5), height: abs(zero - y),
          style: bars.style ?? SeriesStyle(color: bars.color))
      }
      renderer.writer.close("g")
    }
    renderer.writer.close("g")
    if let reference {
      let y = yScale(reference.y)
      renderer.writer.open("g", ["class": "reference"])
      renderer.writer.element(
        "line",
        [
          "x1": c(layout.plotLeft), "y1": c(y), "x2": c(layout.plotRight), "y2": c(y),
          "stroke": Palette.reference.hex, "stroke-width": "1.5", "stroke-dasharray": "5 4",
        ])
      renderer.writer.element(
        "text",
        [
          "x": c(layout.plotRight - 4), "y": c(y - 6), "text-anchor": "end",
          "font-size": c(ChartStyle.tickSize), "fill": Palette.mutedText.hex,
        ],
        text: reference.label)
      renderer.writer.close("g")
    }
    let svg = renderer.finish()
    return standalone ? standaloneDocument(svg) : svg
  }
}

/// A histogram on a continuous x axis, with optionally stacked layers (e.g. customers who did
/// and did not buy in the holdout, by P(alive)).
public struct Histogram: Chart {
  /// One layer of counts, one per bin; layers stack in order from the axis up.
  public struct Layer: Sendable, Equatable {
    public var name: String
    public var counts: [Double]
    public var color: Color
    public init(name: String, counts: [Double], color: Color) {
      self.name = name
      self.counts = counts
      self.color = color
    }
  }

  public var title: String
  public var description: String?
  public var xLabel: String?
  public var yLabel: String?
  /// Bin bounds `[lower, upper)`, increasing and adjacent.
  public var bins: [ClosedRange<Double>]
  public var layers: [Layer]
  public var width: Double
  public var height: Double

  public init(
    title: String, description: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    bins: [ClosedRange<Double>], layers: [Layer], width: Double = 720, height: Double = 360
  ) {
    self.title = title
    self.description = description
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.bins = bins
    self.layers = layers
    self.width = width
    self.height = height
  }

  public func svg(id: String, standalone: Bool) -> String {
    let totals = bins.indices.map { bin in
      layers.reduce(0.0) { $0 + (bin < $1.counts.count ? max($1.counts[bin], 0) : 0) }
    }
    let yTicks = NiceTicks(0, totals.max() ?? 1, count: 6)
    let xTicks = NiceTicks(bins.first?.lowerBound ?? 0, bins.last?.upperBound ?? 1, count: 6)
    let entries =
      layers.count > 1 ? layers.map { LegendEntry(name: $0.name, symbol: .swatch($0.color)) } : []
    let layout = ChartLayout(
      width: width, height: height, title: title, legend: entries,
      yTickLabels: yTicks.labels, hasXLabel: xLabel != nil, hasYLabel: yLabel != nil)
    let xScale = LinearScale(domain: xTicks.domain, range: (layout.plotLeft, layout.plotRight))
    let yScale = LinearScale(domain: yTicks.domain, range: (layout.plotBottom, layout.plotTop))

    var renderer = ChartRenderer(
      layout: layout, id: id, title: title, description: description, standalone: standalone)
    renderer.legend()
    renderer.yAxis(ticks: yTicks, scale: yScale, label: yLabel)
    renderer.xAxis(
      positions: xTicks.values.map { xScale($0) }, labels: xTicks.labels, label: xLabel)
    renderer.writer.open("g", ["class": "series-group"])
    var base = Array(repeating: 0.0, count: bins.count)
    for layer in layers {
      renderer.writer.open("g", ["class": "series", "data-name": layer.name])
      for (index, bin) in bins.enumerated() where index < layer.counts.count {
        let count = max(layer.counts[index], 0)
        guard count > 0 else { continue }
        let left = xScale(bin.lowerBound) + 0.75
        let right = xScale(bin.upperBound) - 0.75
        let top = yScale(base[index] + count)
        let bottom = yScale(base[index])
        renderer.writer.element(
          "rect",
          [
            "x": c(left), "y": c(top), "width": c(max(right - left, 0.5)),
            "height": c(bottom - top), "fill": layer.color.hex,
            "stroke": layer.color.darkened(0.35).hex, "stroke-width": "0.75",
          ])
        base[index] += count
      }
      renderer.writer.close("g")
    }
    renderer.writer.close("g")
    let svg = renderer.finish()
    return standalone ? standaloneDocument(svg) : svg
  }
}
