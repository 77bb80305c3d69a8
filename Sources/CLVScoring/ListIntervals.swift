import CLVData
import CLVNumerics

/// Intervals of a target list's value columns, row by row, and of the list's expected total,
/// from joint draws of what the values depend on (e.g.
/// ``WinBackCampaign/intervals(of:table:level:draws:seed:)``).
///
///     row i, column c:  [Q_{(1−level)/2}, Q_{(1+level)/2}] of v_c(i, d), d = 1 … draws
///     list total:       [Q_{(1−level)/2}, Q_{(1+level)/2}] of Σᵢ v_total(i, d)
///
/// The total's interval comes from the total at each draw, not from the sum of the rows'
/// bounds: rows that share a drawn quantity move together at a draw, rows that do not
/// partly cancel, and only the draw-by-draw sum keeps both (the "statistical simulation" of a
/// function of the parameters, [KTW2000]). Q is ``PercentileInterval`` ([HF1996] definition 7).
public struct ListIntervals: Sendable, Equatable {
  /// One value column: its name in the list file and the bounds of each row, in list order.
  public struct Column: Sendable, Equatable {
    public var name: String
    public var low: [Double]
    public var high: [Double]

    public init(name: String, low: [Double], high: [Double]) {
      self.name = name
      self.low = low
      self.high = high
    }
  }

  public var level: Double
  public var draws: Int
  public var columns: [Column]
  /// The total of the column the list totals, at its point values (the sum of the list's
  /// rows as written).
  public var total: Double
  /// The bounds of that total over the draws.
  public var totalLow: Double
  public var totalHigh: Double

  /// The intervals of the list's rows, one per customer of `customerIDs` (in list order).
  ///
  /// - Parameters:
  ///   - columnNames: the value columns, in the order `values` fills them.
  ///   - totalColumn: the index of the column the list totals.
  ///   - total: that column's point total.
  ///   - values: fills `values[c][d]`, column c at draw d, of one row (every entry; the array
  ///     has `columnNames.count` arrays of `draws` values).
  /// - Throws: what `values` throws; ``ScoringError/nonFinite(customerID:quantity:)`` when a
  ///   value is NaN or infinite.
  /// - Complexity: O(rows × columns × draws) time, O(columns × draws) memory besides the bounds.
  public init(
    level: Double, draws: Int, customerIDs: [String], columnNames: [String], totalColumn: Int,
    total: Double,
    values: (_ row: Int, _ values: inout [[Double]]) throws -> Void
  ) throws {
    precondition(level > 0 && level < 1, "0 < level < 1")
    precondition(draws > 0 && columnNames.indices.contains(totalColumn))
    let rowCount = customerIDs.count
    var buffer = [[Double]](
      repeating: [Double](repeating: 0, count: draws), count: columnNames.count)
    var totals = [Double](repeating: 0, count: draws)
    var columns = columnNames.map {
      Column(
        name: $0, low: [Double](repeating: 0, count: rowCount),
        high: [Double](repeating: 0, count: rowCount))
    }
    for row in 0..<rowCount {
      try values(row, &buffer)
      for c in columns.indices {
        if let bad = buffer[c].first(where: { !$0.isFinite }) {
          throw ScoringError.nonFinite(
            customerID: customerIDs[row], quantity: "\(columnNames[c]) at a draw (\(bad))")
        }
        if c == totalColumn {
          for d in 0..<draws { totals[d] += buffer[c][d] }
        }
        let bounds = PercentileInterval.of(buffer[c], level: level)
        columns[c].low[row] = bounds.low
        columns[c].high[row] = bounds.high
      }
    }
    self.level = level
    self.draws = draws
    self.columns = columns
    self.total = total
    if rowCount == 0 {
      (totalLow, totalHigh) = (0, 0)
    } else {
      (totalLow, totalHigh) = PercentileInterval.of(totals, level: level)
    }
  }

  /// `<column>_low,<column>_high` for each of `names`, the interval columns of a list file.
  public static func csvHeader(of names: [String]) -> String {
    names.flatMap { [$0 + "_low", $0 + "_high"] }.joined(separator: ",")
  }

  /// ``csvHeader(of:)`` of the columns.
  public var csvHeader: String { Self.csvHeader(of: columns.map(\.name)) }

  /// The bounds of row `row`, in ``csvHeader``'s order.
  public func csvFields(row: Int) -> String {
    columns.flatMap {
      [NumberText.string($0.low[row]), NumberText.string($0.high[row])]
    }.joined(separator: ",")
  }

  /// One line for stderr: the total with its interval, e.g.
  /// `expected_value of the list 123.4 (90% interval 101.2 to 150.9 over 200 draws)`.
  public func totalDescription(of name: String) -> String {
    let percent = NumberText.string(level * 100)
    return
      "\(name) of the list \(NumberText.fixed(total, digits: 2)) (\(percent)% interval "
      + "\(NumberText.fixed(totalLow, digits: 2)) to \(NumberText.fixed(totalHigh, digits: 2)) "
      + "over \(draws) draws)"
  }
}
