extension OrdersCSVReader {
  /// Opens the order log at `path` (`-` for standard input) in `format`, its header read when
  /// the format has one: ready for ``forEachOrder(progress:_:)``.
  ///
  /// - Throws: ``DataError`` for an unreadable or empty file, or a header without the columns.
  public static func open(path: String, format: OrderLogFormat) throws -> OrdersCSVReader {
    let records = try DelimitedRecordReader(path: path, delimiter: format.delimiter)
    var header: [String]? = nil
    if format.hasHeader {
      guard try records.next() else {
        throw DataError.invalidFile(file: records.displayName, reason: "empty file")
      }
      header = records.fields
    }
    return try OrdersCSVReader(records: records, header: header, format: format)
  }
}
