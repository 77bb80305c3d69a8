import CLVNumerics

/// The median by selection (no full sort).
public enum Median {
  /// The median of `values` (the mean of the two middle values for an even count), or nil when
  /// empty. Reorders `values`.
  ///
  /// - Complexity: O(n) expected: Hoare's FIND / quickselect with a median-of-three pivot,
  ///   then the largest value below the middle for an even count.
  /// - Source: C. A. R. Hoare (1961), "Algorithm 65: FIND", CACM 4(7); N. Wirth (1976),
  ///   "Algorithms + Data Structures = Programs", §2.3.4.
  /// - Precondition: no NaN in `values` (callers check finiteness first).
  public static func of(_ values: inout [Double]) -> Double? {
    let n = values.count
    guard n > 0 else { return nil }
    let k = n / 2
    let upper = select(&values, k)
    guard n % 2 == 0 else { return upper }
    // After select, values[0..<k] ≤ values[k]: the lower middle is their maximum.
    let lower = values[0..<k].max()!
    return lower / 2 + upper / 2
  }

  /// The k-th smallest value (0-based); afterwards `values[..<k] ≤ values[k] ≤ values[(k+1)...]`.
  static func select(_ values: inout [Double], _ k: Int) -> Double {
    precondition(k >= 0 && k < values.count)
    return values.withUnsafeMutableBufferPointer { PercentileInterval.select($0, k) }
  }
}

extension SegmentationRules {
  /// The default value threshold: the median value (CLV, or expected purchases without a spend
  /// model) of the active customers (``isActive(_:history:)``) among `customers`.
  ///
  /// When no customer is active, the median over all customers with orders; 0 when there are
  /// none (every customer is then a prospect and the threshold is unused).
  ///
  /// - Throws: ``ScoringError/nonFinite(customerID:quantity:)`` for a non-finite value or
  ///   activity.
  /// - Source: the median split of the value axis is a product decision of clvkit (half the
  ///   active customers are high-value), not a literature value.
  public func medianValueThreshold(of customers: [CustomerFacts]) throws -> Double {
    try customers.withUnsafeBufferPointer { customers in
      try medianValueThreshold(count: customers.count) { customers[$0] }
    }
  }

  /// ``medianValueThreshold(of:)`` of the customers `facts(i)`, i in 0..<count (called from
  /// several threads).
  func medianValueThreshold(count: Int, facts: (Int) -> CustomerFacts) throws -> Double {
    // Collect the values in parallel chunks (one array pair per chunk), then select.
    let chunks = Parallel.chunks(count: count)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    let parts = Parallel.Slots<(active: [Double], inactive: [Double])>(count: chunks.count)
    Parallel.forEach(chunks) { chunk, range in
      var active: [Double] = []
      var inactive: [Double] = []
      active.reserveCapacity(range.count)
      do {
        for i in range {
          let customer = facts(i)
          guard let history = customer.history else { continue }
          let (value, _) = try axes(of: customer)
          if try isActive(customer, history: history) {
            active.append(value)
          } else {
            inactive.append(value)
          }
        }
      } catch {
        errors.record(error, chunk: chunk)
      }
      parts[chunk] = (active, inactive)
    }
    if let error = errors.first { throw error }
    var active = parts.values.flatMap(\.active)
    if let median = Median.of(&active) { return median }
    var all = parts.values.flatMap(\.inactive)
    return Median.of(&all) ?? 0
  }
}
