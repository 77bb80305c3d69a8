/// An sRGB colour.
public struct Color: Sendable, Equatable, Hashable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// `#RRGGBB`, uppercase.
  public var hex: String {
    let digits = Array("0123456789ABCDEF")
    return "#"
      + [red, green, blue].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }
      .joined()
  }

  /// Relative luminance.
  ///
  ///     c = s / 12.92                      if s ≤ 0.04045
  ///     c = ((s + 0.055) / 1.055)^2.4      otherwise   (s = channel / 255)
  ///     L = 0.2126 R + 0.7152 G + 0.0722 B
  ///
  /// - Source: [WCAG21] "relative luminance".
  public var relativeLuminance: Double {
    func linear(_ channel: UInt8) -> Double {
      let s = Double(channel) / 255
      return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
  }

  /// Contrast ratio (L₁ + 0.05) / (L₂ + 0.05) with L₁ the lighter; 1 … 21.
  ///
  /// - Source: [WCAG21] "contrast ratio". Text needs ≥ 4.5 (AA), graphical objects ≥ 3
  ///   (success criterion 1.4.11).
  public func contrast(with other: Color) -> Double {
    let a = relativeLuminance
    let b = other.relativeLuminance
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
  }

  /// This colour mixed with black: `amount` 0 keeps it, 1 gives black.
  public func darkened(_ amount: Double) -> Color {
    func mix(_ c: UInt8) -> UInt8 { UInt8((Double(c) * (1 - amount)).rounded()) }
    return Color(mix(red), mix(green), mix(blue))
  }

  /// This colour mixed with white: `amount` 0 keeps it, 1 gives white.
  public func lightened(_ amount: Double) -> Color {
    func mix(_ c: UInt8) -> UInt8 { UInt8((Double(c) + (255 - Double(c)) * amount).rounded()) }
    return Color(mix(red), mix(green), mix(blue))
  }

  public static let white = Color(255, 255, 255)
}

/// The report's colours: the Okabe–Ito colour-blind-safe palette, ordered so that the colours
/// with at least 3:1 contrast against white come first.
///
/// - Source: [OkabeIto2008] (the eight colours); order and contrast checks by [WCAG21].
public enum Palette {
  /// Okabe–Ito black: observed ("actual") data.
  public static let actual = Color(0, 0, 0)
  /// Okabe–Ito colours for model series, in order of use: blue, vermillion, bluish green,
  /// reddish purple (all ≥ 3:1 on white), then orange and sky blue (below 3:1; lines after the
  /// fourth series are therefore also dashed, and bars are outlined). Yellow (1.3:1) is left out.
  public static let series: [Color] = [
    Color(0x00, 0x72, 0xB2),  // blue
    Color(0xD5, 0x5E, 0x00),  // vermillion
    Color(0x00, 0x9E, 0x73),  // bluish green
    Color(0xCC, 0x79, 0xA7),  // reddish purple
    Color(0xE6, 0x9F, 0x00),  // orange
    Color(0x56, 0xB4, 0xE9),  // sky blue
  ]
  /// Body text, axis labels.
  public static let text = Color(0x1A, 0x1A, 0x1A)
  /// Secondary text (tick labels, notes): still ≥ 4.5:1 on white.
  public static let mutedText = Color(0x55, 0x55, 0x55)
  /// Axis lines and tick marks.
  public static let axis = Color(0x66, 0x66, 0x66)
  /// Grid lines (decorative, deliberately faint).
  public static let grid = Color(0xE3, 0xE3, 0xE3)
  /// Reference lines (chance diagonal, lift = 1).
  public static let reference = Color(0x76, 0x76, 0x76)

  /// The colour of series `index` (cycling).
  public static func color(_ index: Int) -> Color { series[index % series.count] }

  /// A dash pattern for series `index`: solid for the first four colours, dashed after, so that
  /// series stay distinguishable without colour.
  public static func dash(_ index: Int) -> String? {
    let patterns: [String?] = [nil, nil, nil, nil, "7 4", "2 3", "7 3 2 3"]
    return patterns[index % patterns.count]
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point symbol drawn on lines (at a few points of long series) and in legends.
public enum MarkerShape: String, Sendable, Equatable, CaseIterable {
  case circle, square, triangle, diamond
}

/// How one series looks in every chart: colour, dash pattern, marker and bar fill. Colour
/// alone cannot tell twelve series apart (Okabe–Ito has six usable colours), so each of the
/// four variants adds its own dash, marker and hatching; 6 × 4 = 24 series stay distinct
/// without relying on colour alone.
///
/// - Source: [OkabeIto2008] (colours); redundant coding by shape and dash after
///   [WCAG21] success criterion 1.4.1 (use of colour).
public struct SeriesStyle: Sendable, Equatable, Hashable {
  public var color: Color
  /// 0 … 3: solid line, circle, solid bars; dashed, square, hatched /; dotted, triangle,
  /// hatched \; dash-dot, diamond, cross-hatched.
  public var variant: Int

  public init(color: Color, variant: Int = 0) {
    self.color = color
    self.variant = variant % SeriesStyle.variants
  }

  /// The number of variants (distinct dash, marker and hatch).
  public static let variants = 4

  /// The style of series `index`: colours first, then variants (unique for 24 series).
  public init(index: Int) {
    self.init(
      color: Palette.color(index),
      variant: (index / Palette.series.count) % SeriesStyle.variants)
  }

  public var dash: String? { [nil, "8 4", "2 3", "8 3 2 3"][variant] }
  public var marker: MarkerShape { MarkerShape.allCases[variant] }
  /// The hatching of bars: nil for a solid fill, else the direction of its lines.
  var hatch: String? { [nil, "fwd", "back", "cross"][variant] }
}
