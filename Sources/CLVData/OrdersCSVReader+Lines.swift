/// The state of the order being read, shared by reference within one pass.
final class OrderState {
  let index: Int
  private var order: CurrentOrder

  init(index: Int, cancelPrefix: String?) {
    self.index = index
    order = CurrentOrder(cancelPrefix: cancelPrefix)
  }

  var day: Day? {
    get { order.day }
    set { order.day = newValue }
  }
  var customer: [UInt8]? {
    get { order.customer }
    set { order.customer = newValue }
  }
  var isCancellation: Bool { order.isCancellation }

  func begin(_ bytes: UnsafeRawBufferPointer) -> Bool { order.begin(bytes) }
  func isDuplicate(_ records: DelimitedRecordReader) -> Bool { order.isDuplicate(records) }
}

extension OrdersCSVReader {
  /// The amount of an order line, quantity × unit price, or nil when the row was rejected (or
  /// counted, with `skipBadRows`). On a continuation line an empty quantity or price is 0.
  func lineAmount(quantity: Int, price: Int, continuation: Bool) throws -> Double? {
    var factors = [0.0, 0.0]
    for (k, index) in [quantity, price].enumerated() {
      if continuation, records.withField(index, { $0.isEmpty }) { return 0 }
      switch records.withField(index, { parseAmount($0, mark: decimalMark) }) {
      case .value(let v):
        factors[k] = v
      case .notANumber:
        let value = records.field(index)
        try reject(
          .amount,
          DataError.invalidField(
            file: displayName, line: records.line, column: columnName(index), value: value,
            expected: expectedAmount(value)))
        return nil
      case .nonFinite:
        try reject(
          .nonFiniteAmount,
          DataError.invalidField(
            file: displayName, line: records.line, column: columnName(index),
            value: records.field(index), expected: "a finite number"))
        return nil
      }
    }
    let amount = factors[0] * factors[1]
    guard amount.isFinite else {
      try reject(
        .nonFiniteAmount,
        DataError.invalidField(
          file: displayName, line: records.line, column: columnName(price),
          value: records.field(price), expected: "a price whose product with the quantity is finite"
        ))
      return nil
    }
    return amount
  }
}
