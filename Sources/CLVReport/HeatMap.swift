/// A grid of values coloured on a sequential scale: the frequency–recency matrices of expected
/// purchases and P(alive).
public struct HeatMap: Chart {
  public var title: String
  public var description: String?
  public var xLabel: String?
  public var yLabel: String?
  /// Column positions (cell centres), increasing.
  public var xValues: [Double]
  /// Row positions (cell centres), increasing; the first row is drawn at the bottom.
  public var yValues: [Double]
  /// One row per y value, one value per x value; nil cells are left blank.
  public var values: [[Double?]]
  /// The colour scale's domain; nil for the finite values' range.
  public var domain: ClosedRange<Double>?
  /// The colour bar's label, e.g. "P(alive)".
  public var valueLabel: String
  /// Names of the rows, drawn at the row positions instead of numeric ticks (the cohorts of a
  /// retention triangle); nil for numeric ticks. At most about 24 are labelled (every k-th).
  public var yCategories: [String]?
  public var width: Double
  public var height: Double

  public init(
    title: String, description: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    xValues: [Double], yValues: [Double], values: [[Double?]], domain: ClosedRange<Double>? = nil,
    valueLabel: String, yCategories: [String]? = nil, width: Double = 540, height: Double = 420
  ) {
    self.title = title
    self.description = description
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xValues = xValues
    self.yValues = yValues
    self.values = values
    self.domain = domain
    self.valueLabel = valueLabel
    self.yCategories = yCategories
    self.width = width
    self.height = height
  }

  /// The colour of `t` in [0, 1] on the viridis scale, interpolated linearly in sRGB between
  /// nine anchors: perceptually ordered from dark blue (low) to yellow (high), readable in grey
  /// and by colour-blind readers.
  ///
  /// - Source: [viridis] (van der Walt & Smith, matplotlib's default colour map since 2.0;
  ///   anchors at t = 0, 0.125, …, 1).
  public static func viridis(_ t: Double) -> Color {
    let anchors: [(Double, Double, Double)] = [
      (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
      (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]
    let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
    let i = min(Int(x), anchors.count - 2)
    let f = x - Double(i)
    let (a, b) = (anchors[i], anchors[i + 1])
    func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8((p + (q - p) * f).rounded()) }
    return Color(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }

  public func svg(id: String, standalone: Bool) -> String {
    let finite = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
    let scaleDomain = domain ?? ((finite.min() ?? 0)...(finite.max() ?? 1))
    let xTicks = NiceTicks(xValues.first ?? 0, xValues.last ?? 1, count: 7)
    let yTicks = NiceTicks(yValues.first ?? 0, yValues.last ?? 1, count: 6)
    // Category rows: every k-th row labelled, k such that at most 24 labels show.
    let categoryStep = max(1, ((yCategories?.count ?? 0) + 23) / 24)
    let categoryRows = yCategories.map { names in
      Array(stride(from: 0, to: min(names.count, yValues.count), by: categoryStep))
    }
    let barWidth = 14.0
    let colourTicks = NiceTicks(scaleDomain.lowerBound, scaleDomain.upperBound, count: 5)
    let colourLabelWidth =
      colourTicks.labels.map { ChartStyle.textWidth($0, size: ChartStyle.tickSize) }.max() ?? 0
    let layout = ChartLayout(
      width: width, height: height, title: title, legend: [],
      yTickLabels: categoryRows.map { $0.map { yCategories![$0] } } ?? yTicks.labels,
      hasXLabel: xLabel != nil, hasYLabel: yLabel != nil,
      rightMargin: 16
        + max(
          barWidth + 6 + colourLabelWidth,
          ChartStyle.textWidth(valueLabel, size: ChartStyle.tickSize)) + 4,
      topMargin: ChartStyle.tickSize + 6)
    // Cells span half-way to their neighbours; the axes span the outer cell edges.
    func edges(_ centres: [Double]) -> [Double] {
      guard centres.count > 1 else {
        let c = centres.first ?? 0
        return [c - 0.5, c + 0.5]
      }
      var result = [centres[0] - (centres[1] - centres[0]) / 2]
      for k in 1..<centres.count { result.append((centres[k - 1] + centres[k]) / 2) }
      result.append(centres[centres.count - 1] + (centres.last! - centres[centres.count - 2]) / 2)
      return result
    }
    let xEdges = edges(xValues)
    let yEdges = edges(yValues)
    let xScale = LinearScale(
      domain: xEdges[0]...xEdges[xEdges.count - 1], range: (layout.plotLeft, layout.plotRight))
    let yScale = LinearScale(
      domain: yEdges[0]...yEdges[yEdges.count - 1], range: (layout.plotBottom, layout.plotTop))
    let span = scaleDomain.upperBound - scaleDomain.lowerBound
    func colour(_ value: Double) -> Color {
      HeatMap.viridis(span > 0 ? (value - scaleDomain.lowerBound) / span : 0.5)
    }

    var renderer = ChartRenderer(
      layout: layout, id: id, title: title, description: description, standalone: standalone)
    renderer.writer.open("g", ["class": "cells", "shape-rendering": "crispEdges"])
    for row in yValues.indices where row < values.count {
      for (column, _) in xValues.enumerated() where column < values[row].count {
        guard let value = values[row][column], value.isFinite else { continue }
        let left = xScale(xEdges[column])
        let right = xScale(xEdges[column + 1])
        let top = yScale(yEdges[row + 1])
        let bottom = yScale(yEdges[row])
        renderer.writer.element(
          "rect",
          [
            // Cells overlap by half a pixel so that no background shows between them.
            "x": c(left), "y": c(top), "width": c(max(right - left, 0.5) + 0.5),
            "height": c(max(bottom - top, 0.5) + 0.5), "fill": colour(value).hex,
          ])
      }
    }
    renderer.writer.close("g")
    var yInside = yTicks.values.filter { yScale.domain.contains($0) }
    var yLabels = zip(yTicks.values, yTicks.labels).filter { yInside.contains($0.0) }.map(\.1)
    if let categoryRows, let yCategories {
      yInside = categoryRows.map { yValues[$0] }
      yLabels = categoryRows.map { yCategories[$0] }
    }
    renderer.yAxis(
      ticks: yTicks, scale: yScale, label: yLabel, only: yInside, labels: yLabels, grid: false)
    let xInside = xTicks.values.filter { xScale.domain.contains($0) }
    let xLabels = zip(xTicks.values, xTicks.labels).filter { xInside.contains($0.0) }.map(\.1)
    renderer.xAxis(positions: xInside.map { xScale($0) }, labels: xLabels, label: xLabel)

    // The colour bar: the scale from low (bottom) to high (top), with its ticks.
    let barLeft = layout.plotRight + 16
    let barScale = LinearScale(
      domain: scaleDomain, range: (layout.plotBottom, layout.plotTop))
    renderer.writer.open("g", ["class": "colour-bar", "font-size": c(ChartStyle.tickSize)])
    let steps = 40
    for k in 0..<steps {
      let low = scaleDomain.lowerBound + span * Double(k) / Double(steps)
      let high = scaleDomain.lowerBound + span * Double(k + 1) / Double(steps)
      let top = barScale(high)
      renderer.writer.element(
        "rect",
        [
          "x": c(barLeft), "y": c(top), "width": c(barWidth),
          "height": c(max(barScale(low) - top, 0.5) + 0.5),
          "fill": colour((low + high) / 2).hex,
        ])
    }
    for (value, text) in zip(colourTicks.values, colourTicks.labels)
    where scaleDomain.contains(value) {
      renderer.writer.element(
        "text",
        [
          "x": c(barLeft + barWidth + 6), "y": c(barScale(value) + 4),
          "fill": Palette.mutedText.hex,
        ],
        text: text)
    }
    renderer.writer.element(
      "text",
      [
        "x": c(barLeft), "y": c(layout.plotTop - 8), "fill": Palette.text.hex,
        "font-size": c(ChartStyle.tickSize),
      ],
      text: valueLabel)
    renderer.writer.close("g")
    let svg = renderer.finish()
    return standalone ? standaloneDocument(svg) : svg
  }
}
