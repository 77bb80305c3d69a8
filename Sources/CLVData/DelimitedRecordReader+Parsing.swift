extension DelimitedRecordReader {
  /// True when the record just parsed is an empty line.
  var isBlankRecord: Bool { blankRecordStart >= 0 }

  /// Parses one record from `start`. Fields go to the span arrays.
  func parse() -> ParseResult {
    let b = buffer.assumingMemoryBound(to: UInt8.self)
    let end = self.end
    let eof = atEOF
    let quote: UInt8 = 34
    let newline: UInt8 = 10
    let cr: UInt8 = 13
    var i = start
    var lines = 1
    var count = 0
    @inline(__always) func append(_ s: Int, _ e: Int, _ escaped: Bool) {
      if count == spanCapacity { growSpans() }
      spans[count] = (s, e, escaped)
      count += 1
    }
    defer { cursor.pointee.fieldCount = count }
    blankRecordStart = -1
    let whitespace: Bool
    let delim: UInt8
    switch delimiter {
    case .whitespace: (whitespace, delim) = (true, 0)  // NUL never occurs (checked)
    case .character(let c): (whitespace, delim) = (false, c)
    }
    // Blanks: spaces and tabs; in whitespace mode a carriage return too (CRLF ends the line).
    @inline(__always) func isBlank(_ c: UInt8) -> Bool {
      c == 32 || c == 9 || (whitespace && c == cr)
    }
    var sawQuotedField = false
    fields: while true {
      // Leading blanks.
      while i < end, isBlank(b[i]), b[i] != delim { i += 1 }
      if i >= end && !eof { return .needMore }
      if i < end, b[i] == quote {
        sawQuotedField = true
        i += 1
        let s = i
        var escaped = false
        while true {
          if i >= end { return eof ? .unterminatedQuote : .needMore }
          let c = b[i]
          if c == quote {
            if i + 1 >= end && !eof { return .needMore }
            if i + 1 < end, b[i + 1] == quote {
              escaped = true
              i += 2
              continue
            }
            break
          }
          if c == newline { lines += 1 }
          i += 1
        }
        append(s, i, escaped)
        i += 1
        // After the closing quote: blanks, then a delimiter or the line end.
        var skipped = false
        while i < end, isBlank(b[i]), b[i] != delim { i += 1; skipped = true }
        if i >= end {
          if eof { return .record(next: i, lines: lines) }
          return .needMore
        }
        let c = b[i]
        if c == newline { return .record(next: i + 1, lines: lines) }
        if c == cr {
          if i + 1 >= end && !eof { return .needMore }
          if i + 1 >= end || b[i + 1] == newline {
            return .record(next: min(i + 2, end), lines: lines)
          }
        }
        if !whitespace && c == delim {
          i += 1
          continue fields
        }
        if whitespace && skipped { continue fields }
        return .textAfterQuote(field: count)
      }
      // Unquoted field.
      let s = i
      if whitespace {
        while i < end {
          let c = b[i]
          if c == 32 || c == 9 || c == newline || c == cr { break }
          i += 1
        }
      } else {
        #if _endian(little)
        // Eight bytes at a time while they fit: a byte of `word ^ pattern` is zero exactly where
        // `word` has the pattern's byte, and (v − 0x01…) & ~v & 0x80… flags the first zero
        // byte of v (later flags may be false, the first never is).
        // Source: the zero-byte test of H. S. Warren, "Hacker's Delight", 2nd ed., 6-1.
        let raw = UnsafeRawPointer(b)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let delimiters = UInt64(delim) &* ones
        let newlines = UInt64(newline) &* ones
        while i + 8 <= end {
          let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
          let x = word ^ delimiters
          let y = word ^ newlines
          let found = ((x &- ones) & ~x | (y &- ones) & ~y) & (ones << 7)
          if found != 0 {
            i += found.trailingZeroBitCount >> 3
            break
          }
          i += 8
        }
        #endif
        while i < end {
          let c = b[i]
          if c == delim || c == newline { break }
          i += 1
        }
      }
      if i >= end && !eof { return .needMore }
      var e = i
      while e > s, b[e - 1] == 32 || b[e - 1] == 9 || b[e - 1] == cr { e -= 1 }
      append(s, e, false)
      if i >= end { break fields }
      if whitespace {
        while i < end, b[i] == 32 || b[i] == 9 || b[i] == cr { i += 1 }
        if i >= end {
          if eof { break fields }
          return .needMore
        }
        if b[i] == newline {
          i += 1
          break fields
        }
        continue fields
      }
      if b[i] == newline {
        i += 1
        break fields
      }
      i += 1  // the delimiter
    }
    if count == 1, !sawQuotedField, spans[0].0 == spans[0].1 { blankRecordStart = start }
    return .record(next: i, lines: lines)
  }

  private func growSpans() {
    let bigger = UnsafeMutablePointer<(Int, Int, Bool)>.allocate(capacity: spanCapacity * 2)
    bigger.moveInitialize(from: spans, count: spanCapacity)
    spans.deallocate()
    spans = bigger
    spanCapacity *= 2
  }
}
