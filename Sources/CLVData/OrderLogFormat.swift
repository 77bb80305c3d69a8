/// A column given by header name or by 1-based number.
public enum ColumnSelector: Equatable, Hashable, Sendable, CustomStringConvertible {
  case name(String)
  /// 1-based column number.
  case number(Int)

  /// `"3"` is column 3; anything else is a header name.
  public init(argument: String) {
    if let n = Int(argument), n >= 1, argument.allSatisfy(\.isASCII) {
      self = .number(n)
    } else {
      self = .name(argument)
    }
  }

  public var description: String {
    switch self {
    case .name(let name): return name
    case .number(let n): return String(n)
    }
  }
}

/// What to do with a negative amount (a return or refund).
public enum ReturnsPolicy: String, CaseIterable, Sendable {
  /// Drop the row (counted in the report).
  case ignore
  /// Subtract it from that customer's amount on that day; it is not a purchase by itself.
  case net
  /// Stop with an error (exit 65).
  case error
}

/// Why a row was rejected (or skipped, with `skipBadRows`).
public enum BadRowReason: String, CaseIterable, Sendable, Comparable {
  case fieldCount = "wrong number of fields"
  case quoting = "unterminated or misplaced quote"
  case emptyCustomerID = "empty customer id"
  case date = "unparsable date"
  case amount = "non-numeric amount"
  case nonFiniteAmount = "NaN or infinite amount"
  case negativeAmount = "negative amount (--returns error)"

  public static func < (lhs: BadRowReason, rhs: BadRowReason) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// Receives the valid orders of an order log
/// (see ``OrdersCSVReader/forEachOrder(into:progress:)``).
public protocol OrderSink {
  /// One order: `customerID` bytes (valid only during the call), day, amount (0 without an
  /// amount column), and the line it came from.
  mutating func add(customerID: UnsafeRawBufferPointer, day: Day, amount: Double, line: Int) throws
}

/// The layout of an order log: one row per order (or order line).
public struct OrderLogFormat: Sendable, Equatable {
  public var delimiter: Delimiter
  /// Whether the first non-blank line is a header row.
  public var hasHeader: Bool
  public var customerColumn: ColumnSelector
  public var dateColumn: ColumnSelector
  /// The amount column, or nil for none (every amount is then 0 and there is no spend).
  public var amountColumn: ColumnSelector?
  /// When false, a missing `amountColumn` (by name) just means "no amounts".
  public var amountColumnRequired: Bool
  /// nil: detect from the first rows (see ``DateFormat/detect(from:)``).
  public var dateFormat: DateFormat?
  public var returns: ReturnsPolicy
  /// Skip malformed rows (counted per ``BadRowReason``) instead of stopping at the first.
  public var skipBadRows: Bool
  /// The decimal mark of amounts; nil: detect from the first rows (see
  /// ``DecimalMark/detect(from:delimiter:conflict:)``).
  public var decimalMark: DecimalMark?
  /// Order lines: order id, quantity × price, cancellations (default: one row per order).
  public var lines = OrderLines()

  public init(
    delimiter: Delimiter = .comma, hasHeader: Bool = true,
    customerColumn: ColumnSelector = .name("customer_id"),
    dateColumn: ColumnSelector = .name("date"),
    amountColumn: ColumnSelector? = .name("amount"), amountColumnRequired: Bool = false,
    dateFormat: DateFormat? = nil, returns: ReturnsPolicy = .ignore, skipBadRows: Bool = false,
    decimalMark: DecimalMark? = nil
  ) {
    self.delimiter = delimiter
    self.hasHeader = hasHeader
    self.customerColumn = customerColumn
    self.dateColumn = dateColumn
    self.amountColumn = amountColumn
    self.amountColumnRequired = amountColumnRequired
    self.dateFormat = dateFormat
    self.returns = returns
    self.skipBadRows = skipBadRows
    self.decimalMark = decimalMark
  }

  /// The columns given by name that the header must contain (the amount column only when
  /// required).
  public var namedColumns: [String] {
    let selectors: [ColumnSelector?] = [
      customerColumn, dateColumn, amountColumnRequired ? amountColumn : nil, lines.orderColumn,
      lines.quantityColumn, lines.priceColumn,
    ]
    return selectors.compactMap {
      if case .name(let name)? = $0 { return name }
      return nil
    }
  }
}
