/// Maps customer-id bytes to dense indices 0, 1, 2, … in order of first appearance.
///
/// Open addressing with linear probing over a power-of-two table of `Int32` slots; the id bytes
/// live once in one arena. About 4–5 bytes per customer plus the ids themselves: O(customers)
/// memory, no per-row allocation. The hash is FNV-1a (64-bit) with a final avalanche.
struct CustomerInterner {
  private(set) var arena: [UInt8] = []
  private(set) var offsets: [Int] = [0]  // id i is arena[offsets[i] ..< offsets[i + 1]]
  private var hashes: [UInt32] = []
  private var slots: [Int32]  // index + 1; 0 = empty
  private var mask: Int

  init() {
    slots = [Int32](repeating: 0, count: 1 << 16)
    mask = (1 << 16) - 1
    arena.reserveCapacity(1 << 16)
  }

  var count: Int { hashes.count }

  @inline(__always)
  private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
    }
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    return h
  }

  /// The index of `bytes`, and whether it was inserted now.
  @inline(__always)
  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (index: Int, inserted: Bool) {
    let h = CustomerInterner.hash(bytes)
    let short = UInt32(truncatingIfNeeded: h)
    var slot = Int(truncatingIfNeeded: h >> 20) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { break }
      let index = entry - 1
      if hashes[index] == short, matches(index, bytes) { return (index, false) }
      slot = (slot + 1) & mask
    }
    let index = hashes.count
    hashes.append(short)
    arena.append(contentsOf: bytes)
    offsets.append(arena.count)
    slots[slot] = Int32(index + 1)
    if hashes.count * 2 > slots.count { grow() }
    return (index, true)
  }

  /// The index of `bytes`, or nil when it was never interned.
  func index(of bytes: UnsafeRawBufferPointer) -> Int? {
    let h = CustomerInterner.hash(bytes)
    let short = UInt32(truncatingIfNeeded: h)
    var slot = Int(truncatingIfNeeded: h >> 20) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return nil }
      if hashes[entry - 1] == short, matches(entry - 1, bytes) { return entry - 1 }
      slot = (slot + 1) & mask
    }
  }

  @inline(__always)
  private func matches(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let s = offsets[index]
    let e = offsets[index + 1]
    guard e - s == bytes.count else { return false }
    return arena.withUnsafeBytes { arena in
      memcmp(arena.baseAddress! + s, bytes.baseAddress!, bytes.count) == 0
    }
  }

  private mutating func grow() {
    let size = slots.count * 2
    var bigger = [Int32](repeating: 0, count: size)
    let newMask = size - 1
    for index in 0..<hashes.count {
      // Re-derive the full hash: the stored 32 bits are not enough for the slot.
      let h = arena.withUnsafeBytes {
        CustomerInterner.hash(UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]))
      }
      var slot = Int(truncatingIfNeeded: h >> 20) & newMask
      while bigger[slot] != 0 { slot = (slot + 1) & newMask }
      bigger[slot] = Int32(index + 1)
    }
    slots = bigger
    mask = newMask
  }

  /// The id of customer `index` as text.
  func id(_ index: Int) -> String {
    arena.withUnsafeBytes {
      String(decoding: UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]]), as: UTF8.self)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
