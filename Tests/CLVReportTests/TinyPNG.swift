/// A minimal PNG decoder for tests: 8-bit greyscale, RGB or RGBA, non-interlaced (what
/// Chromium's screenshots are), with its own inflate (RFC 1951) so that no zlib binding is
/// needed.
///
/// - Source: PNG specification (W3C, 2nd ed., 2003) §§ 5, 9 (filters, Paeth); RFC 1950/1951
///   (zlib, deflate), decoding after Mark Adler's `puff.c`.
struct TinyPNG {
  let width: Int
  let height: Int
  /// Channels per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).
  let channels: Int
  /// Unfiltered rows, `width * channels` bytes each.
  let pixels: [UInt8]

  struct DecodeError: Error, CustomStringConvertible {
    let description: String
  }

  init(_ bytes: [UInt8]) throws {
    let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
    guard bytes.count > 8, Array(bytes[0..<8]) == signature else {
      throw DecodeError(description: "not a PNG file")
    }
    var offset = 8
    var width = 0
    var height = 0
    var channels = 0
    var compressed: [UInt8] = []
    func u32(_ at: Int) -> Int {
      Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }
    while offset + 8 <= bytes.count {
      let length = u32(offset)
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      let data = offset + 8
      guard data + length <= bytes.count else { throw DecodeError(description: "truncated chunk") }
      switch type {
      case "IHDR":
        width = u32(data)
        height = u32(data + 4)
        let depth = bytes[data + 8]
        let colorType = bytes[data + 9]
        let interlace = bytes[data + 12]
        guard depth == 8, interlace == 0 else {
          throw DecodeError(description: "unsupported depth \(depth) or interlace \(interlace)")
        }
        switch colorType {
        case 0: channels = 1
        case 2: channels = 3
        case 6: channels = 4
        default: throw DecodeError(description: "unsupported colour type \(colorType)")
        }
      case "IDAT":
        compressed.append(contentsOf: bytes[data..<(data + length)])
      default:
        break
      }
      offset = data + length + 4  // skip CRC
      if type == "IEND" { break }
    }
    guard width > 0, height > 0 else { throw DecodeError(description: "no IHDR") }
    let raw = try Inflate.zlib(compressed)
    let stride = width * channels
    guard raw.count >= height * (stride + 1) else {
      throw DecodeError(description: "image data too short: \(raw.count)")
    }
    var pixels = [UInt8](repeating: 0, count: height * stride)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      let source = row * (stride + 1) + 1
      let target = row * stride
      for i in 0..<stride {
        let x = raw[source + i]
        let a = i >= channels ? pixels[target + i - channels] : 0
        let b = row > 0 ? pixels[target - stride + i] : 0
        let c = (row > 0 && i >= channels) ? pixels[target - stride + i - channels] : 0
        let value: UInt8
        switch filter {
        case 0: value = x
        case 1: value = x &+ a
        case 2: value = x &+ b
        case 3: value = x &+ UInt8((Int(a) + Int(b)) / 2)
        case 4:
          let p = Int(a) + Int(b) - Int(c)
          let pa = abs(p - Int(a))
          let pb = abs(p - Int(b))
          let pc = abs(p - Int(c))
          value = x &+ (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
        default: throw DecodeError(description: "bad filter \(filter) in row \(row)")
        }
        pixels[target + i] = value
      }
    }
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// The RGB colour of pixel (x, y).
  func rgb(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
    let i = (y * width + x) * channels
    return channels >= 3
      ? (pixels[i], pixels[i + 1], pixels[i + 2]) : (pixels[i], pixels[i], pixels[i])
  }
}

/// Deflate decoding (RFC 1951): stored, fixed and dynamic Huffman blocks.
enum Inflate {
  struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]
    /// Codes of at most `fastBits` bits, indexed by the next `fastBits` input bits (LSB first):
    /// `symbol << 4 | length`, or 0 when the code is longer.
    var fast = [Int](repeating: 0, count: 1 << Huffman.fastBits)
    static let fastBits = 9

    init(lengths: [Int]) {
      symbols = [Int](repeating: 0, count: lengths.count)
      for length in lengths { counts[length] += 1 }
      // Canonical codes (RFC 1951 § 3.2.2), stored bit-reversed for LSB-first lookup.
      var next = [Int](repeating: 0, count: 16)
      var code = 0
      for length in 1..<16 {
        code = (code + (length > 1 ? counts[length - 1] : 0)) << 1
        next[length] = code
      }
      for (symbol, length) in lengths.enumerated() where length > 0 {
        let code = next[length]
        next[length] += 1
        guard length <= Huffman.fastBits else { continue }
        var reversed = 0
        for bit in 0..<length where code & (1 << (length - 1 - bit)) != 0 { reversed |= 1 << bit }
        for fill in 0..<(1 << (Huffman.fastBits - length)) {
          fast[reversed | fill << length] = symbol << 4 | length
        }
      }
      counts[0] = 0
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[length]] = symbol
        offsets[length] += 1
      }
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var position = 0
    var bitBuffer = 0
    var bitCount = 0

    mutating func bits(_ need: Int) throws -> Int {
      var value = bitBuffer
      while bitCount < need {
        guard position < bytes.count else { throw TinyPNG.DecodeError(description: "out of data") }
        value |= Int(bytes[position]) << bitCount
        position += 1
        bitCount += 8
      }
      bitBuffer = value >> need
      bitCount -= need
      return value & ((1 << need) - 1)
    }

    mutating func decode(_ h: Huffman) throws -> Int {
      while bitCount < Huffman.fastBits && position < bytes.count {
        bitBuffer |= Int(bytes[position]) << bitCount
        position += 1
        bitCount += 8
      }
      if bitCount >= Huffman.fastBits {
        let entry = h.fast[bitBuffer & ((1 << Huffman.fastBits) - 1)]
        if entry != 0 {
          let length = entry & 15
          bitBuffer >>= length
          bitCount -= length
          return entry >> 4
        }
      }
      var code = 0
      var first = 0
      var index = 0
      for length in 1...15 {
        code |= try bits(1)
        let count = h.counts[length]
        if code - count < first { return h.symbols[index + (code - first)] }
        index += count
        first += count
        first <<= 1
        code <<= 1
      }
      throw TinyPNG.DecodeError(description: "bad Huffman code")
    }
  }

  static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
    67, 83, 99, 115, 131, 163, 195, 227, 258,
  ]
  static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    5, 5, 5, 5, 0,
  ]
  static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
    513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
    24577,
  ]
  static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 13, 13,
  ]

  /// Inflates a zlib stream (2-byte header, deflate data, Adler-32 not checked).
  static func zlib(_ data: [UInt8]) throws -> [UInt8] {
    guard data.count > 2, data[0] & 0x0F == 8 else {
      throw TinyPNG.DecodeError(description: "not a zlib stream")
    }
    var reader = Reader(bytes: data, position: 2)
    var output: [UInt8] = []
    output.reserveCapacity(data.count * 8)
    var last = 0
    repeat {
      last = try reader.bits(1)
      let type = try reader.bits(2)
      switch type {
      case 0:
        // Drop the partial byte; give back whole bytes read ahead by the fast decoder.
        reader.position -= reader.bitCount / 8
        reader.bitBuffer = 0
        reader.bitCount = 0
        let p = reader.position
        guard p + 4 <= data.count else { throw TinyPNG.DecodeError(description: "short block") }
        let length = Int(data[p]) | Int(data[p + 1]) << 8
        reader.position = p + 4
        guard reader.position + length <= data.count else {
          throw TinyPNG.DecodeError(description: "short stored block")
        }
        output.append(contentsOf: data[reader.position..<(reader.position + length)])
        reader.position += length
      case 1:
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        try codes(
          &reader, &output, Huffman(lengths: lengths),
          Huffman(lengths: [Int](repeating: 5, count: 30)))
      case 2:
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeCount = try reader.bits(4) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[order[i]] = try reader.bits(3) }
        let lengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
          let symbol = try reader.decode(lengthCode)
          switch symbol {
          case 0..<16: lengths.append(symbol)
          case 16:
            guard let previous = lengths.last else {
              throw TinyPNG.DecodeError(description: "repeat with no length")
            }
            lengths += [Int](repeating: previous, count: 3 + (try reader.bits(2)))
          case 17: lengths += [Int](repeating: 0, count: 3 + (try reader.bits(3)))
          default: lengths += [Int](repeating: 0, count: 11 + (try reader.bits(7)))
          }
        }
        try codes(
          &reader, &output, Huffman(lengths: Array(lengths[0..<literalCount])),
          Huffman(lengths: Array(lengths[literalCount...])))
      default:
        throw TinyPNG.DecodeError(description: "bad block type")
      }
    } while last == 0
    return output
  }

  static func codes(
    _ reader: inout Reader, _ output: inout [UInt8], _ literal: Huffman, _ distance: Huffman
  ) throws {
    while true {
      let symbol = try reader.decode(literal)
      if symbol < 256 {
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        let index = symbol - 257
        guard index < 29 else { throw TinyPNG.DecodeError(description: "bad length symbol") }
        let length = lengthBase[index] + (try reader.bits(lengthExtra[index]))
        let distanceSymbol = try reader.decode(distance)
        guard distanceSymbol < 30 else { throw TinyPNG.DecodeError(description: "bad distance") }
        let back = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
        guard back <= output.count else {
          throw TinyPNG.DecodeError(description: "distance too far")
        }
        let start = output.count - back
        for i in 0..<length { output.append(output[start + i]) }
      }
    }
  }
}
