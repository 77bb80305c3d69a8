extension NumberText {
  /// Powers of ten 10⁰ … 10²¹ (10²⁰ and 10²¹ exceed `UInt64`).
  private static let powersOfTen: [UInt128] = {
    var powers: [UInt128] = [1]
    for _ in 1...21 { powers.append(powers.last! * 10) }
    return powers
  }()

  /// Appends the shortest round-trip text of a value that is not a whole number, with
  /// 2⁻¹³ ≤ |value| < 10¹⁵, in plain decimal notation: the bytes of `value.description`, without
  /// building a `String`. Returns false (nothing written) when it cannot decide the digits by
  /// the exact test below; the caller then formats `description`.
  ///
  /// The digits are the shortest decimal inside the value's rounding interval and, of those
  /// with that many digits, the one nearest the value, the definition of Swift's
  /// `description` (SwiftDtoa: "shortest, closest"; the same as Steele & White's and Ryū's
  /// output). With v = m · 2⁻ˢ (m the 53-bit significand) the interval is
  /// ((4m − 2) · 2⁻⁽ˢ⁺²⁾, (4m + 2) · 2⁻⁽ˢ⁺²⁾); everything is scaled by 10ᵏ, k chosen so that
  /// v · 10ᵏ ∈ [10¹⁷, 2 · 10¹⁸), and computed exactly in 128-bit integers (4m · 10ᵏ < 2¹²⁸ for
  /// k ≤ 21). The integers n strictly inside the scaled interval are found, then the largest
  /// power of ten p with a multiple in that range (the fewest digits), then the multiple of p
  /// nearest v · 10ᵏ. Three cases are left to `description` since open and closed intervals
  /// or tie rules could differ there: an interval end that is itself a scaled integer, two
  /// candidates at the same distance, and m = 2⁵² (a power of two, whose interval is not
  /// symmetric). `NumberTextConsistencyTests` compares the bytes with `description`.
  ///
  /// - Source: G. L. Steele and J. L. White, "How to print floating-point numbers accurately",
  ///   PLDI 1990 (the shortest uniquely identifying digits); U. Adams, "Ryū: fast float-to-string
  ///   conversion", PLDI 2018 (the interval and the choice of the closest).
  static func appendShortestDecimal(_ value: Double, to out: inout [UInt8]) -> Bool {
    let exponent = Int(value.exponent)
    guard value.isFinite, exponent >= -13, exponent <= 49, value.significandBitPattern != 0
    else { return false }
    let magnitude = abs(value)
    guard magnitude < 1e15 else { return false }
    let m = UInt128(value.significandBitPattern | (1 << 52))
    let shift = 52 - exponent + 2  // v = 4m · 2^-shift; shift ≥ 4 since |v| < 2⁵⁰
    // floor(log10 2^exponent) (78913 / 2¹⁸ ≈ log10 2, exact for −13…49, and for far wider
    // ranges as Ryū uses it), so 10^that ≤ |v| < 2 · 10^(that + 1): v · 10^k ∈ [10¹⁷, 2·10¹⁸).
    let decimalExponent = (exponent * 78_913) >> 18
    let k = 17 - decimalExponent
    guard k >= 0, k <= 21 else { return false }
    let scale = powersOfTen[k]
    let center = 4 * m * scale
    let lower = center - 2 * scale
    let upper = center + 2 * scale
    let mask = (UInt128(1) << shift) - 1
    guard lower & mask != 0, upper & mask != 0 else { return false }
    // The integers strictly inside the scaled interval: (below, high].
    let below = UInt64(lower >> shift)  // low - 1, the lower end rounded down
    let high = UInt64(upper >> shift)
    guard below < high else { return false }
    // The largest power of ten p = 10^zeros with a multiple in (below, high]: the quotients by
    // p differ while a multiple lies between; the exact value's quotient rides along.
    var a = below
    var b = high
    var w = UInt64(center >> shift)
    var p: UInt64 = 1
    var zeros = 0
    while b / 10 > a / 10 {
      a /= 10
      b /= 10
      w /= 10
      p *= 10
      zeros += 1
    }
    // The multiples w·p ≤ v·10^k < (w + 1)·p, and the nearer one inside the interval.
    let downIn = w > a
    let upIn = w + 1 <= b
    let quotient: UInt64
    if downIn && upIn {
      let rest = UInt64(center >> shift) - w * p  // < p ≤ the interval's width < 2¹⁰
      let downDistance = (UInt128(rest) << shift) + (center & mask)
      let upDistance = (UInt128(p) << shift) - downDistance
      guard downDistance != upDistance else { return false }
      quotient = downDistance < upDistance ? w : w + 1
    } else if downIn {
      quotient = w
    } else if upIn {
      quotient = w + 1
    } else {
      return false
    }
    guard zeros < k else { return false }  // a whole number: not for this path
    appendFixedPoint(quotient, fractionDigits: k - zeros, negative: value < 0, to: &out)
    return true
  }

  /// Two ASCII digits per number 0…99.
  private static let digitPairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  /// Appends q / 10^fractionDigits in plain decimal notation, at least one digit before the
  /// point (q < 2·10¹⁸, 1 ≤ fractionDigits ≤ 21, q not a multiple of 10).
  private static func appendFixedPoint(
    _ q: UInt64, fractionDigits f: Int, negative: Bool, to out: inout [UInt8]
  ) {
    // At most 19 digits, 20 zeros, "0.", a sign: 48 bytes.
    var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &buffer) { bytes in
      let pairs = digitPairs.utf8Start
      let end = 48
      var start = end
      var n = q
      while n >= 10 {
        let pair = Int(n % 100) * 2
        n /= 100
        start -= 2
        bytes[start] = pairs[pair]
        bytes[start + 1] = pairs[pair + 1]
      }
      if n > 0 || start == end {
        start -= 1
        bytes[start] = UInt8(48 + n)
      }
      let length = end - start
      if length > f {
        // Digits before the point: move them one place left and put the point after them.
        let whole = length - f
        for i in 0..<whole { bytes[start - 1 + i] = bytes[start + i] }
        start -= 1
        bytes[start + whole] = 46
      } else {
        // "0." and zeros before the digits.
        for _ in length..<f {
          start -= 1
          bytes[start] = 48
        }
        bytes[start - 1] = 46
        bytes[start - 2] = 48
        start -= 2
      }
      if negative {
        start -= 1
        bytes[start] = 45
      }
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }
  }
}
