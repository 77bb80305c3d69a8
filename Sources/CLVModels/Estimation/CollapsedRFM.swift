import CLVData
import CLVNumerics

/// Customers' (x, tₓ, T) histories collapsed to distinct rows with weights, so that the cost of
/// a likelihood evaluation scales with the number of distinct rows, not customers.
///
/// Distinct values of x, tₓ and T are kept in their own tables and each row stores indices into
/// them: models evaluate `logGamma(r + x)` once per distinct x, `log(α + T)` once per distinct
/// T, and so on.
public struct CollapsedRFM: Sendable {
  /// Distinct frequencies x.
  public private(set) var frequencies: [Int] = []
  /// Distinct recencies tₓ.
  public private(set) var recencies: [Double] = []
  /// Distinct ages T.
  public private(set) var ages: [Double] = []
  /// Per distinct row: index into `frequencies`, `recencies`, `ages`.
  public private(set) var frequencyIndex: [Int32] = []
  public private(set) var recencyIndex: [Int32] = []
  public private(set) var ageIndex: [Int32] = []
  /// Per distinct row: number of customers (or the given weight) sharing it.
  public private(set) var weights: [Double] = []
  /// Σ weights: the number of customers N.
  public private(set) var customers: Double = 0
  /// Σ weights of the customers with (x, tₓ, T) = (0, 0, 0), left out: their likelihood is 1
  /// (see `CollapsedRFM+ZeroAge.swift`). Not part of `customers`.
  public private(set) var zeroAgeCustomers: Double = 0

  /// Number of distinct rows.
  public var count: Int { weights.count }
  /// The largest age T (lifetimes' time scale is 1 / max T).
  public var maxAge: Double { ages.max() ?? 1 }

  /// Collapses `rows`, checking each: x ≥ 0, 0 ≤ tₓ ≤ T, T > 0, tₓ = 0 when x = 0, all finite.
  /// Rows (0, 0, 0) (T = 0) are left out and counted in `zeroAgeCustomers`.
  ///
  /// Distinct rows, and distinct x, tₓ and T, are numbered in order of first appearance.
  ///
  /// - Parameters:
  ///   - weights: one non-negative weight per row (e.g. the donations data's counts); nil = 1.
  ///   - model: the model name for error messages.
  ///   - requireRepeatPurchases: false for a part of the data (one covariate group of a
  ///     covariate fit), which may hold no repeat purchase although the whole data does.
  /// - Throws: ``ModelError/unusableData(model:reason:)`` naming the first bad customer, when
  ///   there are no rows, or when nobody made a repeat purchase (the purchase models cannot be
  ///   identified).
  /// - Complexity: O(n) expected: each row is looked up in three small open-addressing tables
  ///   (x, tₓ, T) and one table of the index triples, none allocating per row.
  public init(
    _ rows: [RFMSummary.Row], weights: [Double]? = nil, model: String,
    requireRecencyZeroWhenNoRepeat: Bool = true, requireRepeatPurchases: Bool = true
  ) throws {
    if let weights, weights.count != rows.count {
      throw ModelError.unusableData(
        model: model, reason: "\(weights.count) weights for \(rows.count) customers")
    }
    guard !rows.isEmpty else {
      throw ModelError.unusableData(model: model, reason: "no customers to fit")
    }
    var rowOf = IndexTable<TripleKey>(expected: rows.count / 2)
    var xOf = IndexTable<UInt64>(expected: 64)
    var tOf = IndexTable<UInt64>(expected: 1024)
    var aOf = IndexTable<UInt64>(expected: 1024)
    // Fields are read through the buffer, so no row (and its customer ID) is copied unless it
    // is reported in an error. Rows go in blocks: first their keys, then a read of each key's
    // slot in the large table (the cache misses overlap), then the insertions in row order.
    let block = 16
    var keys = [TripleKey](repeating: .filler, count: block)
    var keyWeights = [Double](repeating: 0, count: block)
    var sink: Int32 = 0
    try rows.withUnsafeBufferPointer { rows in
      var start = 0
      while start < rows.count {
        let end = Swift.min(rows.count, start + block)
        var pending = 0
        for i in start..<end {
          let w = weights?[i] ?? 1
          guard w.isFinite, w >= 0 else {
            throw ModelError.unusableData(
              model: model, reason: "customer '\(rows[i].customerID)': weight \(w) is not a count")
          }
          if w == 0 { continue }
          let x = rows[i].frequency
          // +0.0 and -0.0 are one key.
          let recency = rows[i].recency + 0, age = rows[i].age + 0
          if Self.isZeroAge(frequency: x, recency: recency, age: age) {
            zeroAgeCustomers += w
            continue
          }
          if !Self.isValid(
            frequency: x, recency: recency, age: age,
            requireRecencyZero: requireRecencyZeroWhenNoRepeat)
          {
            try Self.validate(
              rows[i], model: model, requireRecencyZero: requireRecencyZeroWhenNoRepeat)
          }
          let (xi, newX) = xOf.index(of: UInt64(bitPattern: Int64(x)))
          if newX { frequencies.append(x) }
          let (ti, newT) = tOf.index(of: recency.bitPattern)
          if newT { recencies.append(recency) }
          let (ai, newA) = aOf.index(of: age.bitPattern)
          if newA { ages.append(age) }
          keys[pending] = TripleKey(first: UInt32(xi), second: UInt32(ti), third: UInt32(ai))
          keyWeights[pending] = w
          pending += 1
        }
        for j in 0..<pending { sink ^= rowOf.touch(keys[j]) }
        for j in 0..<pending {
          let key = keys[j], w = keyWeights[j]
          let (index, newRow) = rowOf.index(of: key)
          if newRow {
            frequencyIndex.append(Int32(bitPattern: key.first))
            recencyIndex.append(Int32(bitPattern: key.second))
            ageIndex.append(Int32(bitPattern: key.third))
            self.weights.append(w)
          } else {
            self.weights[Int(index)] += w
          }
          customers += w
        }
        start = end
      }
    }
    // Keep the reads of `touch` (their result is otherwise unused).
    if sink == Int32.min { frequencyIndex.reserveCapacity(frequencyIndex.count) }
    guard customers > 0 || zeroAgeCustomers > 0 else {
      throw ModelError.unusableData(model: model, reason: "no customers with positive weight")
    }
    if requireRepeatPurchases { try self.requireRepeatPurchases(model: model) }
  }

  /// Every k-th distinct row (k = ⌈count / maximumRows⌉), weights scaled so that they still sum
  /// to `customers`: a deterministic subsample for screening starting values on large data;
  /// nil when there are at most `maximumRows` rows.
  public func subsample(maximumRows: Int) -> CollapsedRFM? {
    guard count > maximumRows, maximumRows > 0 else { return nil }
    let k = (count + maximumRows - 1) / maximumRows
    var copy = self
    copy.frequencyIndex = stride(from: 0, to: count, by: k).map { frequencyIndex[$0] }
    copy.recencyIndex = stride(from: 0, to: count, by: k).map { recencyIndex[$0] }
    copy.ageIndex = stride(from: 0, to: count, by: k).map { ageIndex[$0] }
    let picked = stride(from: 0, to: count, by: k).map { weights[$0] }
    let scale = customers / picked.reduce(0, +)
    copy.weights = picked.map { $0 * scale }
    return copy
  }

  /// Whether ``validate(_:model:requireRecencyZero:)`` accepts the row (the same conditions,
  /// without the row).
  @inline(__always)
  static func isValid(
    frequency: Int, recency: Double, age: Double, requireRecencyZero: Bool
  )
    -> Bool
  {
    frequency >= 0 && recency.isFinite && age.isFinite && age > 0 && recency >= 0
      && recency <= age && !(requireRecencyZero && frequency == 0 && recency != 0)
  }

  static func validate(_ row: RFMSummary.Row, model: String, requireRecencyZero: Bool) throws {
    let id = row.customerID
    guard row.frequency >= 0 else {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': frequency \(row.frequency) is negative")
    }
    guard row.recency.isFinite, row.age.isFinite, row.age > 0 else {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': T = \(row.age) must be positive and finite")
    }
    guard row.recency >= 0, row.recency <= row.age else {
      throw ModelError.unusableData(
        model: model,
        reason: "customer '\(id)': recency \(row.recency) is outside [0, T = \(row.age)]")
    }
    if requireRecencyZero, row.frequency == 0, row.recency != 0 {
      throw ModelError.unusableData(
        model: model, reason: "customer '\(id)': recency \(row.recency) with frequency 0")
    }
  }
}
