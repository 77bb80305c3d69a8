/// Up to 8 bytes at `pointer` as a little-endian word, zero-padded (the memory layout of the
/// bytes on little-endian machines, as `loadUnaligned` gives for 8).
@inline(__always)
func loadPadded(_ pointer: UnsafeRawPointer, _ count: Int) -> UInt64 {
  if count >= 8 { return pointer.loadUnaligned(as: UInt64.self) }
  var value: UInt64 = 0
  var i = count - 1
  while i >= 0 {
    value = value << 8 | UInt64(pointer.load(fromByteOffset: i, as: UInt8.self))
    i -= 1
  }
  return value
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from customer-id bytes to per-customer values, with dense indices 0, 1, 2, … in
/// order of first appearance.
///
/// Built for one lookup per order row over millions of customers: the slot array holds 8 bytes
/// per slot (32 bits of hash, 32 bits of index) and each entry keeps ids of up to 16 bytes
/// inline next to its value, so a lookup touches about two cache lines and allocates nothing.
/// Longer ids live once in an arena. Open addressing with linear probing, load ≤ 1/2; the slot
/// position and the 32-bit tag both
/// come from the upper half of the hash, so growing never touches the entries.
/// O(customers) memory: 16–24 bytes per slot/entry overhead plus the value.
final class CustomerTable<Value> {
  private struct Entry {
    var key0: UInt64
    var key1: UInt64  // long ids: key0 = arena offset
    var length: Int
    var value: Value
  }

  /// The table's mutable state, behind a pointer: stored `var`s of a class pay a dynamic
  /// exclusivity check on every access, which is measurable at one lookup per row.
  private struct Storage {
    var slots: UnsafeMutablePointer<UInt64>
    var mask: Int
    var entries: UnsafeMutablePointer<Entry>
    var entryCapacity: Int
    var count = 0
  }
  private let storage: UnsafeMutablePointer<Storage>
  private var slots: UnsafeMutablePointer<UInt64> {
    get { storage.pointee.slots }
    set { storage.pointee.slots = newValue }
  }
  private var mask: Int {
    get { storage.pointee.mask }
    set { storage.pointee.mask = newValue }
  }
  private var entries: UnsafeMutablePointer<Entry> {
    get { storage.pointee.entries }
    set { storage.pointee.entries = newValue }
  }
  private var entryCapacity: Int {
    get { storage.pointee.entryCapacity }
    set { storage.pointee.entryCapacity = newValue }
  }
  private(set) var count: Int {
    get { storage.pointee.count }
    set { storage.pointee.count = newValue }
  }
  private var arena: [UInt8] = []  // ids longer than 16 bytes

  /// - Parameter expectedCount: room to reserve for entries (address space only: pages are
  ///   touched as entries are added), to avoid copying the table as it grows.
  init(expectedCount: Int = 1 << 15) {
    let size = 1 << 16
    let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    slots.initialize(repeating: 0, count: size)
    let capacity = max(expectedCount, 1 << 10)
    storage = .allocate(capacity: 1)
    storage.initialize(
      to: Storage(
        slots: slots, mask: size - 1, entries: .allocate(capacity: capacity),
        entryCapacity: capacity))
  }

  deinit {
    slots.deallocate()
    entries.deinitialize(count: count)
    entries.deallocate()
    storage.deallocate()
  }

  @inline(__always)
  private static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    var k0: UInt64 = 0
    var k1: UInt64 = 0
    let n = bytes.count
    guard let base = bytes.baseAddress else { return (0, 0) }
    k0 = loadPadded(base, n)
    if n > 8 { k1 = loadPadded(base + 8, n - 8) }
    return (k0, k1)
  }

  /// Hash: the id's 16-byte words multiplied and mixed (murmur3 finalizer); FNV-1a for longer ids.
  @inline(__always)
  private static func hash(_ bytes: UnsafeRawBufferPointer, _ k0: UInt64, _ k1: UInt64) -> UInt64 {
    if bytes.count <= 16 { return shortHash(k0, k1, bytes.count) }
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return mix(h)
  }

  /// The hash of a short id from its words and length.
  @inline(__always)
  static func shortHash(_ k0: UInt64, _ k1: UInt64, _ length: Int) -> UInt64 {
    mix((k0 &* 0x9E37_79B9_7F4A_7C15) ^ (k1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length))
  }

  @inline(__always)
  private static func mix(_ value: UInt64) -> UInt64 {
    var h = value
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    h = h &* 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
  }

  @inline(__always)
  private func matches(
    _ entry: UnsafeMutablePointer<Entry>, _ bytes: UnsafeRawBufferPointer,
    _ k0: UInt64, _ k1: UInt64
  ) -> Bool {
    let n = bytes.count
    guard entry.pointee.length == n else { return false }
    if n <= 16 { return entry.pointee.key0 == k0 && entry.pointee.key1 == k1 }
    return arena.withUnsafeBytes {
      memcmp($0.baseAddress! + Int(entry.pointee.key0), bytes.baseAddress!, n) == 0
    }
  }

  /// A short id (at most 16 bytes) as words plus its hash, for ``prefetch(_:)`` and
  /// ``withValue(for:initial:_:)-(ShortKey,_,_)``.
  struct ShortKey {
    var key0: UInt64
    var key1: UInt64
    var length: Int
    var hash: UInt64
  }

  /// The short key of `bytes`, or nil when longer than 16 bytes. With `hashed: false` the
  /// hash is left 0 for the caller to fill with ``shortHash(_:_:_:)`` (on another thread).
  @inline(__always)
  static func shortKey(_ bytes: UnsafeRawBufferPointer, hashed: Bool = true) -> ShortKey? {
    guard bytes.count <= 16 else { return nil }
    let (k0, k1) = words(bytes)
    return ShortKey(
      key0: k0, key1: k1, length: bytes.count,
      hash: hashed ? shortHash(k0, k1, bytes.count) : 0)
  }

  /// Touches the slot and entry of each key so that their cache misses overlap (independent
  /// loads across keys); returns a value only to keep the loads.
  @inline(__always)
  func prefetch(_ keys: UnsafeBufferPointer<ShortKey>) -> Int {
    var sum = 0
    for key in keys {
      let s = slots[Int(truncatingIfNeeded: key.hash >> 32) & mask]
      if s != 0 { sum &+= entries[Int(s & 0xFFFF_FFFF) - 1].length }
    }
    return sum
  }

  /// ``withValue(for:initial:_:)-(UnsafeRawBufferPointer,_,_)`` for a precomputed short key.
  @inline(__always)
  func withValue<R>(
    for key: ShortKey, initial: @autoclosure () -> Value, _ body: (inout Value) -> R
  ) -> R {
    let tag = key.hash & 0xFFFF_FFFF_0000_0000
    var slot = Int(truncatingIfNeeded: key.hash >> 32) & mask
    while true {
      let s = slots[slot]
      if s == 0 { break }
      if s & 0xFFFF_FFFF_0000_0000 == tag {
        let entry = entries + Int(s & 0xFFFF_FFFF) - 1
        if entry.pointee.length == key.length, entry.pointee.key0 == key.key0,
          entry.pointee.key1 == key.key1
        {
          return body(&entry.pointee.value)
        }
      }
      slot = (slot + 1) & mask
    }
    if count == entryCapacity { growEntries() }
    (entries + count).initialize(
      to: Entry(key0: key.key0, key1: key.key1, length: key.length, value: initial()))
    count += 1
    slots[slot] = tag | UInt64(count)
    if count * 2 > mask + 1 { growSlots() }
    return body(&entries[count - 1].value)
  }

  /// Calls `body` with the value of `bytes`, first creating it with `initial` when new.
  @inline(__always)
  func withValue<R>(
    for bytes: UnsafeRawBufferPointer, initial: @autoclosure () -> Value,
    _ body: (inout Value) -> R
  ) -> R {
    let (k0, k1) = CustomerTable.words(bytes)
    let h = CustomerTable.hash(bytes, k0, k1)
    let tag = h & 0xFFFF_FFFF_0000_0000
    var slot = Int(truncatingIfNeeded: h >> 32) & mask
    while true {
      let s = slots[slot]
      if s == 0 { break }
      if s & 0xFFFF_FFFF_0000_0000 == tag {
        let entry = entries + Int(s & 0xFFFF_FFFF) - 1
        if matches(entry, bytes, k0, k1) { return body(&entry.pointee.value) }
      }
      slot = (slot + 1) & mask
    }
    if count == entryCapacity { growEntries() }
    var key0 = k0
    let key1 = k1
    if bytes.count > 16 {
      key0 = UInt64(arena.count)
      arena.append(contentsOf: bytes)
    }
    (entries + count).initialize(
      to: Entry(key0: key0, key1: key1, length: bytes.count, value: initial()))
    count += 1
    slots[slot] = tag | UInt64(count)
    if count * 2 > mask + 1 { growSlots() }
    return body(&entries[count - 1].value)
  }

  /// The index of `bytes`, or nil when it is not in the table.
  func index(of bytes: UnsafeRawBufferPointer) -> Int? {
    let (k0, k1) = CustomerTable.words(bytes)
    let h = CustomerTable.hash(bytes, k0, k1)
    let tag = h & 0xFFFF_FFFF_0000_0000
    var slot = Int(truncatingIfNeeded: h >> 32) & mask
    while true {
      let s = slots[slot]
      if s == 0 { return nil }
      if s & 0xFFFF_FFFF_0000_0000 == tag {
        let index = Int(s & 0xFFFF_FFFF) - 1
        if matches(entries + index, bytes, k0, k1) { return index }
      }
      slot = (slot + 1) & mask
    }
  }

  /// The value at `index` (0-based, order of first appearance).
  subscript(index: Int) -> Value {
    get { entries[index].value }
    set { entries[index].value = newValue }
  }

  /// Calls `body` with the id bytes of customer `index`.
  func withID<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let entry = entries[index]
    if entry.length > 16 {
      return try arena.withUnsafeBytes {
        try body(
          UnsafeRawBufferPointer(rebasing: $0[Int(entry.key0)..<(Int(entry.key0) + entry.length)]))
      }
    }
    var words = (entry.key0, entry.key1)
    return try withUnsafeBytes(of: &words) {
      try body(UnsafeRawBufferPointer(rebasing: $0[0..<entry.length]))
    }
  }

  /// The id of customer `index` as text.
  func id(_ index: Int) -> String {
    withID(index) { String(decoding: $0, as: UTF8.self) }
  }

  private func growEntries() {
    let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: entryCapacity * 2)
    bigger.moveInitialize(from: entries, count: count)
    entries.deallocate()
    entries = bigger
    entryCapacity *= 2
  }

  private func growSlots() {
    let size = (mask + 1) * 2
    let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    bigger.initialize(repeating: 0, count: size)
    let newMask = size - 1
    // The slot position comes from the same upper 32 hash bits as the tag: no rehashing.
    for old in 0...mask where slots[old] != 0 {
      let s = slots[old]
      var slot = Int(truncatingIfNeeded: s >> 32) & newMask
      while bigger[slot] != 0 { slot = (slot + 1) & newMask }
      bigger[slot] = s
    }
    slots.deallocate()
    slots = bigger
    mask = newMask
  }
}
