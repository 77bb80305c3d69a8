/// A growable byte buffer written through a pointer: the output buffer of the CSV writers
/// (scores, summaries), where a million rows of twenty fields are tens of millions of small
/// appends.
///
/// An `[UInt8]` append checks uniqueness and capacity and, for a slice, goes through a generic
/// call; here an append is one capacity comparison and a store, and the number formatters
/// (``NumberText``) write their digits straight into the buffer (``write(upTo:_:)``). Not
/// copyable: one owner, freed when it goes out of scope.
///
///     var out = ByteWriter(capacity: 1 << 20)
///     NumberText.appendCompact(2.5, to: &out)
///     out.append(UInt8(ascii: "\n"))
///     try output.write(out)              // AtomicOutput
public struct ByteWriter: ~Copyable {
  @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @usableFromInline var capacity: Int
  @usableFromInline var written: Int
  /// The bytes written so far.
  public var count: Int { written }

  /// An empty buffer with room for `capacity` bytes (it grows as needed).
  public init(capacity: Int = 4096) {
    self.capacity = Swift.max(capacity, 64)
    base = .allocate(capacity: self.capacity)
    written = 0
  }

  deinit { base.deallocate() }

  public var isEmpty: Bool { count == 0 }

  /// Makes room for `extra` more bytes.
  @inlinable @inline(__always)
  public mutating func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  @usableFromInline
  mutating func grow(to needed: Int) {
    let newCapacity = Swift.max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  @inlinable @inline(__always)
  public mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    written += 1
  }

  @inlinable @inline(__always)
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    Self.copy(from: source, count: bytes.count, to: UnsafeMutableRawPointer(base + written))
    written += bytes.count
  }

  /// Copies `count` bytes; a field (up to 16 bytes: a date, a cached number, a label) as two
  /// overlapping 8-byte words or byte by byte, without the call into the C library.
  @inlinable @inline(__always)
  static func copy(from source: UnsafeRawPointer, count: Int, to target: UnsafeMutableRawPointer) {
    if count > 16 {
      target.copyMemory(from: source, byteCount: count)
    } else if count >= 8 {
      let head = source.loadUnaligned(as: UInt64.self)
      let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      target.storeBytes(of: head, as: UInt64.self)
      target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
    } else {
      for i in 0..<count {
        target.storeBytes(
          of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
      }
    }
  }

  /// Appends the `count` bytes at `source`.
  @inlinable @inline(__always)
  public mutating func append(_ source: UnsafePointer<UInt8>, count: Int) {
    reserve(count)
    Self.copy(from: source, count: count, to: UnsafeMutableRawPointer(base + written))
    written += count
  }

  @inlinable
  public mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// Appends the UTF-8 of `text`.
  public mutating func append(utf8 text: String) {
    var text = text
    text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
  }

  /// Lets `body` write at most `limit` bytes at the end of the buffer; `body` returns how many
  /// it wrote.
  @inlinable @inline(__always)
  public mutating func write(upTo limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    reserve(limit)
    written += body(base + written)
  }

  /// Forgets the bytes, keeping the storage.
  public mutating func removeAll() { written = 0 }

  /// Calls `body` with the bytes written.
  public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: base, count: count))
  }

  /// The bytes written, as an array (for tests and small outputs).
  public var bytes: [UInt8] { withBytes { Array($0) } }
}

extension Array where Element == UInt8 {
  /// Lets `body` write at most `limit` bytes (into a buffer on the stack), then appends them:
  /// the `[UInt8]` side of the pointer-level writers shared with ``ByteWriter``.
  @inlinable @inline(__always)
  mutating func appendWritten(upTo limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { buffer in
      let written = body(buffer.baseAddress!)
      append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<written]))
    }
  }
}
