import Foundation

/// Compares program output that carries floating-point numbers, line by line and number by
/// number, instead of byte by byte.
///
/// Values that pass through BLAS/LAPACK differ in their last bits between CPUs: OpenBLAS picks a
/// kernel per CPU family, and a different summation order moves a result by a few ULPs (issue 11
/// part 1: churn probabilities 0.9382441310792347 on Intel, 0.9382441310792344 on AMD EPYC). Such
/// output is compared here with a stated tolerance; everything else stays exact:
///
/// - text between numbers must match exactly (runs of spaces count as one, since a table pads a
///   column to its widest number);
/// - integers (no decimal point, no exponent) must match exactly: counts, ids, dates, ranks;
/// - decimals match when `|a − b| ≤ max(relative · max(|a|, |b|), absolute, u)`, where `u` is one
///   unit in the last digit printed, in the value printed with more digits: a value rounded for
///   display may land on the neighbouring digit when the unrounded value moves by a few ULPs
///   (`0.938` vs `0.937` at three decimals), while `1.0` vs `0.95` still differ.
public struct NumericText: Sendable {
  public var relative: Double
  public var absolute: Double

  public init(relative: Double, absolute: Double = 0) {
    self.relative = relative
    self.absolute = absolute
  }

  /// `nil` when `actual` matches `expected`, else a one-line description of the first difference
  /// (line number, both tokens).
  public func firstDifference(_ actual: String, _ expected: String) -> String? {
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    if actualLines.count != expectedLines.count {
      return "\(actualLines.count) lines, expected \(expectedLines.count)"
    }
    for (index, (a, e)) in zip(actualLines, expectedLines).enumerated() where a != e {
      if let difference = lineDifference(Self.tokens(a), Self.tokens(e)) {
        return "line \(index + 1): \(difference)\n  actual:   \(a)\n  expected: \(e)"
      }
    }
    return nil
  }

  /// Whether `actual` matches `expected` within the tolerance.
  public func matches(_ actual: String, _ expected: String) -> Bool {
    firstDifference(actual, expected) == nil
  }

  enum Token: Equatable {
    case text(String)
    case integer(String)
    /// The value and one unit in its last printed digit.
    case decimal(Double, unit: Double, text: String)
  }

  func lineDifference(_ actual: [Token], _ expected: [Token]) -> String? {
    if actual.count != expected.count {
      return "\(actual.count) tokens, expected \(expected.count)"
    }
    for (a, e) in zip(actual, expected) {
      switch (a, e) {
      case (.text(let x), .text(let y)) where x == y: continue
      case (.integer(let x), .integer(let y)) where x == y: continue
      case (.decimal(let x, let ux, let tx), .decimal(let y, let uy, let ty)):
        let bound = max(relative * max(abs(x), abs(y)), absolute, min(ux, uy))
        if x == y || abs(x - y) <= bound { continue }
        return "\(tx) differs from \(ty) by \(abs(x - y)) > \(bound)"
      default:
        return "'\(Self.describe(a))' differs from '\(Self.describe(e))'"
      }
    }
    return nil
  }

  static func describe(_ token: Token) -> String {
    switch token {
    case .text(let text), .integer(let text), .decimal(_, _, let text): return text
    }
  }

  /// Splits a line into text, integers and decimals. A number is `digits[.digits][e±digits]`,
  /// with a leading `-` when the character before it is not a letter or digit (so that `c-12`
  /// and `2024-12-30` keep their hyphens as text, and `-0.5` is negative).
  static func tokens(_ line: Substring) -> [Token] {
    let bytes = Array(line.utf8)
    var tokens: [Token] = []
    var text: [UInt8] = []
    func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    func isWord(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 95 }
    func flushText() {
      guard !text.isEmpty else { return }
      var collapsed: [UInt8] = []
      for b in text where !(b == 32 && collapsed.last == 32) { collapsed.append(b) }
      tokens.append(.text(String(decoding: collapsed, as: UTF8.self)))
      text = []
    }
    var i = 0
    while i < bytes.count {
      let startsNumber: Bool
      let previousIsWord = i > 0 && (isWord(bytes[i - 1]) || bytes[i - 1] == 46)
      if isDigit(bytes[i]) {
        startsNumber = !previousIsWord
      } else if bytes[i] == 45, i + 1 < bytes.count, isDigit(bytes[i + 1]) {
        startsNumber = !previousIsWord
      } else {
        startsNumber = false
      }
      guard startsNumber else {
        // Digits glued to a word (c1475, v2) stay text, compared exactly.
        if isDigit(bytes[i]) {
          while i < bytes.count, isWord(bytes[i]) {
            text.append(bytes[i])
            i += 1
          }
        } else {
          text.append(bytes[i])
          i += 1
        }
        continue
      }
      var j = i
      if bytes[j] == 45 { j += 1 }
      while j < bytes.count, isDigit(bytes[j]) { j += 1 }
      var fractionDigits = 0
      var isDecimal = false
      if j + 1 < bytes.count, bytes[j] == 46, isDigit(bytes[j + 1]) {
        isDecimal = true
        j += 1
        while j < bytes.count, isDigit(bytes[j]) {
          j += 1
          fractionDigits += 1
        }
      }
      var exponent = 0
      if j + 1 < bytes.count, bytes[j] | 0x20 == 101 {
        var k = j + 1
        if k < bytes.count, bytes[k] == 43 || bytes[k] == 45 { k += 1 }
        if k < bytes.count, isDigit(bytes[k]) {
          let exponentStart = j + 1
          while k < bytes.count, isDigit(bytes[k]) { k += 1 }
          exponent = Int(String(decoding: bytes[exponentStart..<k], as: UTF8.self)) ?? 0
          isDecimal = true
          j = k
        }
      }
      // A number glued to a following letter (12ms is masked elsewhere; 3x, 1st) stays text.
      if j < bytes.count, isWord(bytes[j]) {
        while i < j {
          text.append(bytes[i])
          i += 1
        }
        continue
      }
      flushText()
      let literal = String(decoding: bytes[i..<j], as: UTF8.self)
      if isDecimal, let value = Double(literal) {
        let unit = pow(10, Double(exponent - fractionDigits))
        tokens.append(.decimal(value, unit: unit, text: literal))
      } else {
        tokens.append(.integer(literal))
      }
      i = j
    }
    flushText()
    return tokens
  }
}
