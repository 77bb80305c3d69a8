/// How to read an export with one row per order line (UCI Online Retail, Shopify, Magento):
/// which column ties lines to orders, how a line's amount is made, and which orders are
/// cancellations.
public struct OrderLines: Sendable, Equatable {
  /// The order id column. Consecutive rows with the same order id are lines of one order: an
  /// exact duplicate of an earlier line of the same order is dropped (unless
  /// ``keepDuplicates``), and a later line may leave the customer, date or amount empty (taken
  /// from the order's first line; an empty amount is 0, as when an export writes the order
  /// total on the first line only).
  public var orderColumn: ColumnSelector?
  /// With ``priceColumn``: the line's amount is quantity × unit price (instead of an amount
  /// column).
  public var quantityColumn: ColumnSelector?
  public var priceColumn: ColumnSelector?
  /// Keep exact duplicate lines of an order.
  public var keepDuplicates: Bool
  /// Orders whose id starts with this text are cancellations or returns: their lines' amounts
  /// are taken as negative (whatever their sign in the file) and handled by
  /// ``OrderLogFormat/returns``. Needs ``orderColumn``.
  public var cancelPrefix: String?

  public init(
    orderColumn: ColumnSelector? = nil, quantityColumn: ColumnSelector? = nil,
    priceColumn: ColumnSelector? = nil, keepDuplicates: Bool = false, cancelPrefix: String? = nil
  ) {
    self.orderColumn = orderColumn
    self.quantityColumn = quantityColumn
    self.priceColumn = priceColumn
    self.keepDuplicates = keepDuplicates
    self.cancelPrefix = cancelPrefix
  }

  /// Whether anything differs from one row per order.
  public var isActive: Bool {
    orderColumn != nil || quantityColumn != nil || priceColumn != nil
  }
}

/// The order being read: its id, what its first line said, and its lines so far.
struct CurrentOrder {
  private var id: [UInt8] = []
  private var started = false
  private var lines: Set<[UInt8]> = []
  private let cancelPrefix: [UInt8]
  /// The first line's day and customer id (nil when that line was rejected).
  var day: Day?
  var customer: [UInt8]?
  /// Whether the current order is a cancellation.
  private(set) var isCancellation = false

  init(cancelPrefix: String?) { self.cancelPrefix = Array((cancelPrefix ?? "").utf8) }

  /// Moves to the order with id `bytes`; true when it is the order already being read (the row
  /// is a continuation line).
  mutating func begin(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if started, bytes.elementsEqual(id) { return true }
    started = true
    id = Array(bytes)
    lines.removeAll(keepingCapacity: true)
    day = nil
    customer = nil
    isCancellation =
      !cancelPrefix.isEmpty && bytes.count >= cancelPrefix.count
      && bytes.prefix(cancelPrefix.count).elementsEqual(cancelPrefix)
    return false
  }

  /// Records the current row as a line of this order; true when an identical line (every
  /// field equal) was seen before in it.
  mutating func isDuplicate(_ records: DelimitedRecordReader) -> Bool {
    var key: [UInt8] = []
    for i in 0..<records.fieldCount {
      records.withField(i) { key.append(contentsOf: $0) }
      key.append(0x1F)
    }
    return !lines.insert(key).inserted
  }
}
