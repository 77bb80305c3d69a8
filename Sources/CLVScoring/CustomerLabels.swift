import CLVData
import Dispatch

/// The labels `clv score` adds to a customer's row.
public struct CustomerLabels: Sendable, Equatable {
  public var segment: Segment
  /// Nil for a prospect.
  public var lifecycleStage: LifecycleStage?
  /// Nil when no purchase is expected (see ``SegmentationRules/expectedNextPurchase(of:)``).
  public var expectedNextPurchase: Day?

  public init(segment: Segment, lifecycleStage: LifecycleStage?, expectedNextPurchase: Day?) {
    self.segment = segment
    self.lifecycleStage = lifecycleStage
    self.expectedNextPurchase = expectedNextPurchase
  }
}

extension SegmentationRules {
  /// Segment, lifecycle stage and expected next purchase of one customer.
  /// - Throws: as ``segment(of:valueThreshold:)``, ``lifecycleStage(of:)`` and
  ///   ``expectedNextPurchase(of:)``.
  ///
  /// The segment rule inlined (activity computed once, no next-purchase date for a customer
  /// who is not active); equal to the three rules applied one by one (checked by
  /// `ScoreAugmenterConsistencyTests`).
  public func labels(
    of customer: CustomerFacts, valueThreshold: Double
  ) throws
    -> CustomerLabels
  {
    guard let history = customer.history else {
      return CustomerLabels(segment: .prospect, lifecycleStage: nil, expectedNextPurchase: nil)
    }
    try checkDates(of: customer, history)
    let isNew = history.frequency == 0 && asOf - history.firstPurchase <= newWindowDays
    let active = try isActive(customer, history: history)
    let segment: Segment
    if isNew {
      segment = .newBuyer
    } else {
      guard let value = customer.value, value.isFinite else {
        throw ScoringError.nonFinite(customerID: customer.customerID, quantity: "CLV")
      }
      segment = Segment.quadrant(
        highValue: value > valueThreshold, active: active, valueIsSpend: customer.clv != nil)
    }
    return CustomerLabels(
      segment: segment, lifecycleStage: try lifecycleStage(of: customer),
      expectedNextPurchase: active ? try expectedNextPurchase(of: customer) : nil)
  }

  /// The value threshold in force: ``valueThreshold`` when set, else the median of
  /// ``medianValueThreshold(of:)`` over `customers`.
  public func resolvedValueThreshold(for customers: [CustomerFacts]) throws -> Double {
    if let valueThreshold { return valueThreshold }
    return try medianValueThreshold(of: customers)
  }

  /// The labels of every customer, in order, computed in parallel chunks on all cores.
  ///
  /// - Throws: the error of the first failing customer (in input order).
  /// - Complexity: O(n) work; the threshold (when a median) is a serial O(n) pass first.
  public func labels(
    of customers: [CustomerFacts], valueThreshold: Double
  ) throws
    -> [CustomerLabels]
  {
    let n = customers.count
    let chunks = Parallel.chunks(count: n)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    let labels = [CustomerLabels](unsafeUninitializedCapacity: n) { buffer, initialized in
      let base = Parallel.SendablePointer(buffer.baseAddress)
      // A chunk that fails leaves its slots filled with a placeholder; the array is discarded.
      let placeholder = CustomerLabels(
        segment: .prospect, lifecycleStage: nil,
        expectedNextPurchase: nil)
      customers.withUnsafeBufferPointer { customers in
        Parallel.forEach(chunks) { chunk, range in
          for i in range {
            let label: CustomerLabels
            do {
              label = try self.labels(of: customers[i], valueThreshold: valueThreshold)
            } catch {
              errors.record(error, chunk: chunk)
              for j in i..<range.upperBound { (base.pointer! + j).initialize(to: placeholder) }
              return
            }
            (base.pointer! + i).initialize(to: label)
          }
        }
      }
      initialized = n
    }
    if let error = errors.first { throw error }
    return labels
  }
}
