/// Point symbols and styled bars: what tells series apart beyond colour ([WCAG21] 1.4.1).
extension ChartRenderer {
  /// A point symbol centred on (x, y), filled with `color` and outlined in white so that
  /// overlapping symbols stay apart.
  mutating func marker(_ shape: MarkerShape, x: Double, y: Double, color: Color, size: Double = 4) {
    switch shape {
    case .circle:
      writer.element(
        "circle",
        [
          "class": "point", "cx": c(x), "cy": c(y), "r": c(size), "fill": color.hex,
          "stroke": "#FFFFFF", "stroke-width": "1",
        ])
    case .square:
      let s = size * 0.9
      writer.element(
        "rect",
        [
          "class": "point", "x": c(x - s), "y": c(y - s), "width": c(2 * s), "height": c(2 * s),
          "fill": color.hex, "stroke": "#FFFFFF", "stroke-width": "1",
        ])
    case .triangle:
      let s = size * 1.2
      writer.element(
        "polygon",
        [
          "class": "point",
          "points":
            "\(c(x)),\(c(y - s)) \(c(x + s)),\(c(y + s * 0.8)) \(c(x - s)),\(c(y + s * 0.8))",
          "fill": color.hex, "stroke": "#FFFFFF", "stroke-width": "1",
        ])
    case .diamond:
      let s = size * 1.25
      writer.element(
        "polygon",
        [
          "class": "point",
          "points":
            "\(c(x)),\(c(y - s)) \(c(x + s)),\(c(y)) \(c(x)),\(c(y + s)) \(c(x - s)),\(c(y))",
          "fill": color.hex, "stroke": "#FFFFFF", "stroke-width": "1",
        ])
    }
  }

  /// A bar (or legend swatch) in `style`: solid in its colour, or, for the hatched variants,
  /// a light tint crossed by lines in its colour (drawn as lines, not an SVG pattern, so the
  /// page needs no `url()` reference).
  mutating func bar(x: Double, y: Double, width: Double, height: Double, style: SeriesStyle) {
    guard let hatch = style.hatch else {
      writer.element(
        "rect",
        [
          "x": c(x), "y": c(y), "width": c(width), "height": c(height),
          "fill": style.color.hex, "stroke": style.color.darkened(0.35).hex,
          "stroke-width": "0.75",
        ])
      return
    }
    writer.open("g", ["class": "hatched"])
    writer.element(
      "rect",
      [
        "x": c(x), "y": c(y), "width": c(width), "height": c(height),
        "fill": style.color.lightened(0.72).hex,
      ])
    var directions: [Double] = []
    if hatch == "fwd" || hatch == "cross" { directions.append(1) }
    if hatch == "back" || hatch == "cross" { directions.append(-1) }
    let spacing = 5.0
    for direction in directions {
      // Lines y = y₀ + height − direction·(u − x) … clipped to the rectangle: parametrize by
      // the offset k along the diagonal.
      var k = -height
      while k < width {
        // Segment of the line through (x + k, y + height) rising (direction 1) at 45°.
        var x0 = x + k
        var y0 = y + height
        var x1 = x + k + height
        var y1 = y
        if direction < 0 {
          (x0, x1) = (x + width - k, x + width - k - height)
        }
        // Clip to x ∈ [x, x + width].
        func clip(_ xa: inout Double, _ ya: inout Double, _ xb: Double, _ yb: Double) {
          if xa < x {
            ya += (yb - ya) * (x - xa) / (xb - xa)
            xa = x
          } else if xa > x + width {
            ya += (yb - ya) * (xa - (x + width)) / (xa - xb)
            xa = x + width
          }
        }
        clip(&x0, &y0, x1, y1)
        clip(&x1, &y1, x0, y0)
        if abs(x1 - x0) > 0.3 {
          writer.element(
            "line",
            [
              "x1": c(x0), "y1": c(y0), "x2": c(x1), "y2": c(y1), "stroke": style.color.hex,
              "stroke-width": "1.6",
            ])
        }
        k += spacing
      }
    }
    writer.element(
      "rect",
      [
        "x": c(x), "y": c(y), "width": c(width), "height": c(height), "fill": "none",
        "stroke": style.color.darkened(0.35).hex, "stroke-width": "0.75",
      ])
    writer.close("g")
  }
}
