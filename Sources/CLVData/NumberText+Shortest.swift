extension NumberText {
  /// Powers of ten 10⁰ … 10²¹ (10²⁰ and 10²¹ exceed `UInt64`).
  private static let powersOfTen: [UInt128] = {
    var powers: [UInt128] = [1]
    for _ in 1...21 { powers.append(powers.last! * 10) }
    return powers
  }()

  /// Writes the shortest round-trip text of a value that is not a whole number, with
  /// 2⁻¹³ ≤ |value| < 10¹⁵, in plain decimal notation at `out` (at most 48 bytes): the bytes of
  /// `value.description`, without building a `String`. Returns the number of bytes written, 0
  /// (nothing written) when it cannot decide the digits by the exact test below; the caller
  /// then formats `description`.
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
  static func writeShortestDecimal(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
    let exponent = Int(value.exponent)
    guard value.isFinite, exponent >= -13, exponent <= 49, value.significandBitPattern != 0
    else { return 0 }
    let magnitude = abs(value)
    guard magnitude < 1e15 else { return 0 }
    let m = UInt128(value.significandBitPattern | (1 << 52))
    let shift = 52 - exponent + 2  // v = 4m · 2^-shift; shift ≥ 4 since |v| < 2⁵⁰
    // floor(log10 2^exponent) (78913 / 2¹⁸ ≈ log10 2, exact for −13…49, and for far wider
    // ranges as Ryū uses it), so 10^that ≤ |v| < 2 · 10^(that + 1): v · 10^k ∈ [10¹⁷, 2·10¹⁸).
    let decimalExponent = (exponent * 78_913) >> 18
    let k = 17 - decimalExponent
    guard k >= 0, k <= 21 else { return 0 }
    let scale = powersOfTen[k]
    let center = 4 * m * scale
    let lower = center - 2 * scale
    let upper = center + 2 * scale
    let mask = (UInt128(1) << shift) - 1
    guard lower & mask != 0, upper & mask != 0 else { return 0 }
    // The integers strictly inside the scaled interval: (below, high].
    let below = UInt64(lower >> shift)  // low - 1, the lower end rounded down
    let high = UInt64(upper >> shift)
    guard below < high else { return 0 }
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
      guard downDistance != upDistance else { return 0 }
      quotient = downDistance < upDistance ? w : w + 1
    } else if downIn {
      quotient = w
    } else if upIn {
      quotient = w + 1
    } else {
      return 0
    }
    guard zeros < k else { return 0 }  // a whole number: not for this path
    return writeFixedPoint(quotient, fractionDigits: k - zeros, negative: value < 0, to: out)
  }

  /// Two ASCII digits per number 0…99.
  private static let digitPairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  /// Powers of ten 10⁰ … 10¹⁹ that fit a `UInt64`, for counting digits.
  private static let powersOfTen64: [UInt64] = (0...19).map { exponent in
    var power: UInt64 = 1
    for _ in 0..<exponent { power *= 10 }
    return power
  }

  /// Writes q / 10^fractionDigits in plain decimal notation, at least one digit before the
  /// point (q < 2·10¹⁸, 1 ≤ fractionDigits ≤ 21, q not a multiple of 10), each digit in its
  /// final place; returns the length (at most 24).
  private static func writeFixedPoint(
    _ q: UInt64, fractionDigits f: Int, negative: Bool, to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    // The number of digits: ⌊log10 2^bits⌋ (1233 / 2¹² ≈ log10 2), plus one when q reaches the
    // next power of ten.
    let bits = 64 - q.leadingZeroBitCount
    var digits = (bits * 1233) >> 12
    if q >= powersOfTen64[digits] { digits += 1 }
    var start = out
    if negative {
      start.pointee = 45
      start += 1
    }
    var n = q
    if digits > f {
      // Whole digits, the point, then f fraction digits.
      let whole = digits - f
      writeDigits(&n, count: f, endingAt: start + whole + 1 + f)
      start[whole] = 46
      writeDigits(&n, count: whole, endingAt: start + whole)
      return (negative ? 1 : 0) + digits + 1
    }
    // "0.", zeros, then the digits.
    start[0] = 48
    start[1] = 46
    for i in 0..<(f - digits) { start[2 + i] = 48 }
    writeDigits(&n, count: digits, endingAt: start + 2 + f)
    return (negative ? 1 : 0) + 2 + f
  }

  /// Writes the lowest `count` decimal digits of `n` so that the last is just before `end`,
  /// two at a time, and divides `n` by 10^count.
  @inline(__always)
  private static func writeDigits(
    _ n: inout UInt64, count: Int, endingAt end: UnsafeMutablePointer<UInt8>
  ) {
    let pairs = digitPairs.utf8Start
    var position = end
    var remaining = count
    while remaining >= 2 {
      let pair = Int(n % 100) * 2
      n /= 100
      position -= 2
      position[0] = pairs[pair]
      position[1] = pairs[pair + 1]
      remaining -= 2
    }
    if remaining == 1 {
      position[-1] = UInt8(48 + n % 10)
      n /= 10
    }
  }
}
