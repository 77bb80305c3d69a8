/// A key of an ``IndexTable``: equatable, plain data, with a well-mixed 64-bit hash.
protocol IndexTableKey: Equatable, Sendable {
  var tableHash: UInt64 { get }
  /// Any value: fills the empty slots (never compared, as their index is −1).
  static var filler: Self { get }
}

/// An open-addressing hash table from keys to dense indices 0, 1, 2, … in order of first
/// insertion, for collapsing many rows to distinct ones without per-insert allocation (linear
/// probing, power-of-two capacity, load factor at most ½, doubled when reached).
///
/// Used instead of `Dictionary` where a million rows are looked up: no per-lookup seeding of
/// a SipHash hasher, and keys and indices in two flat arrays.
///
/// - Source: linear probing, Knuth, TAOCP vol. 3, section 6.4, algorithm L; the hash
///   finalizer is SplitMix64's (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
///   generators", OOPSLA).
struct IndexTable<Key: IndexTableKey>: Sendable {
  /// A key and its index (−1 in an empty slot), side by side so a probe touches one line.
  private struct Slot {
    var key: Key
    var index: Int32
  }
  private var slots: [Slot]
  private var mask: Int
  /// Number of keys stored; the next key inserted gets this index.
  private(set) var count = 0

  /// A table that holds `expected` keys without growing.
  init(expected: Int) {
    var capacity = 16
    while capacity < 2 * expected { capacity <<= 1 }
    slots = [Slot](repeating: Slot(key: .filler, index: -1), count: capacity)
    mask = capacity - 1
  }

  /// The index of `key`, inserting it with index `count` when absent (`inserted` is then true).
  @inline(__always)
  mutating func index(of key: Key) -> (index: Int32, inserted: Bool) {
    var slot = Int(truncatingIfNeeded: key.tableHash) & mask
    while true {
      let found = slots[slot]
      if found.index < 0 { break }
      if found.key == key { return (found.index, false) }
      slot = (slot + 1) & mask
    }
    let index = Int32(count)
    slots[slot] = Slot(key: key, index: index)
    count += 1
    if 2 * count > slots.count { grow() }
    return (index, true)
  }

  /// Reads the slot where a probe for `key` starts and returns its index field: issued for
  /// several keys ahead of their ``index(of:)``, the cache misses overlap.
  @inline(__always)
  func touch(_ key: Key) -> Int32 {
    slots[Int(truncatingIfNeeded: key.tableHash) & mask].index
  }

  /// The index of `key`, or nil when absent.
  @inline(__always)
  func find(_ key: Key) -> Int32? {
    var slot = Int(truncatingIfNeeded: key.tableHash) & mask
    while true {
      let found = slots[slot]
      if found.index < 0 { return nil }
      if found.key == key { return found.index }
      slot = (slot + 1) & mask
    }
  }

  private mutating func grow() {
    let old = slots
    let capacity = 2 * old.count
    slots = [Slot](repeating: Slot(key: .filler, index: -1), count: capacity)
    mask = capacity - 1
    for entry in old where entry.index >= 0 {
      var slot = Int(truncatingIfNeeded: entry.key.tableHash) & mask
      while slots[slot].index >= 0 { slot = (slot + 1) & mask }
      slots[slot] = entry
    }
  }
}

/// The SplitMix64 finalizer: a bijective mix of the 64 bits.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
  var z = value
  z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
  z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
  return z ^ (z >> 31)
}

extension UInt64: IndexTableKey {
  var tableHash: UInt64 { mix64(self) }
  static var filler: UInt64 { 0 }
}

/// Two 64-bit words (e.g. a frequency and a time's bit pattern).
struct PairKey: IndexTableKey {
  var first: UInt64
  var second: UInt64
  @inline(__always)
  var tableHash: UInt64 { mix64(mix64(first) &+ second) }
  static var filler: PairKey { PairKey(first: 0, second: 0) }
}

/// Three 32-bit indices (a collapsed row's indices of x, tₓ and T).
struct TripleKey: IndexTableKey {
  var first: UInt32
  var second: UInt32
  var third: UInt32
  @inline(__always)
  var tableHash: UInt64 { mix64(mix64(UInt64(first) << 32 | UInt64(second)) &+ UInt64(third)) }
  static var filler: TripleKey { TripleKey(first: 0, second: 0, third: 0) }
}

/// Four 64-bit words (e.g. a group, a frequency and two times' bit patterns).
struct QuadKey: IndexTableKey {
  var words: (UInt64, UInt64, UInt64, UInt64)
  @inline(__always)
  var tableHash: UInt64 {
    mix64(mix64(mix64(mix64(words.0) &+ words.1) &+ words.2) &+ words.3)
  }
  static var filler: QuadKey { QuadKey(words: (0, 0, 0, 0)) }
  static func == (lhs: QuadKey, rhs: QuadKey) -> Bool {
    lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
      && lhs.words.3 == rhs.words.3
  }
}

/// Distinct keys of many items, for computing something once per distinct item (e.g. the
/// prediction intervals of ``Scorer`` values once per distinct history): the keys are exact
/// (bit patterns of times, not rounded), so items with the same key get the same result as if
/// computed one by one.
public enum DistinctKeys {
  /// For each of `count` items, the dense index of its key (0, 1, 2, … in order of first
  /// appearance), and for each index the first item with that key.
  ///
  /// - Parameter key: four words that identify item i (e.g. a group, x, and the bit patterns
  ///   of tₓ and T).
  /// - Complexity: O(count) expected (an open-addressing hash table, ``IndexTable``).
  public static func index(
    count: Int, key: (Int) -> (UInt64, UInt64, UInt64, UInt64)
  ) -> (indexOf: [Int], first: [Int]) {
    var table = IndexTable<QuadKey>(expected: Swift.max(16, count / 2))
    var indexOf = [Int](repeating: 0, count: count)
    var first: [Int] = []
    for i in 0..<count {
      let (index, inserted) = table.index(of: QuadKey(words: key(i)))
      if inserted { first.append(i) }
      indexOf[i] = Int(index)
    }
    return (indexOf, first)
  }
}
