import CLVData
import CLVModels
import CLVNumerics

/// Which rows share which computation: the distinct histories (group, x, tₓ, T), the distinct
/// spend inputs (x, m̄) and the distinct rows (history, spend), each with its first row.
struct DistinctLayout {
  /// Per row: its history, its spend input, its distinct row (the last two 0 without spend).
  var historyOf: [Int]
  var spendOf: [Int]
  var rowOf: [Int]
  /// Per distinct history, spend input and row: the first row of `rows` with it.
  var historyFirst: [Int]
  var spendFirst: [Int]
  var rowFirst: [Int]
  /// Per distinct history, its group.
  var historyGroup: [Int]

  init(rows: [RFMSummary.Row], groups: [Int]?, withSpend: Bool) {
    let n = rows.count
    (historyOf, historyFirst) = rows.withUnsafeBufferPointer { rows in
      DistinctKeys.index(count: n) { i in
        (
          UInt64(groups?[i] ?? 0), UInt64(bitPattern: Int64(rows[i].frequency)),
          rows[i].recency.bitPattern, rows[i].age.bitPattern
        )
      }
    }
    historyGroup = historyFirst.map { groups?[$0] ?? 0 }
    if withSpend {
      (spendOf, spendFirst) = rows.withUnsafeBufferPointer { rows in
        DistinctKeys.index(count: n) { i in
          (UInt64(bitPattern: Int64(rows[i].frequency)), rows[i].monetaryValue.bitPattern, 0, 0)
        }
      }
      let (historyOf, spendOf) = (historyOf, spendOf)
      (rowOf, rowFirst) = DistinctKeys.index(count: n) { i in
        (UInt64(historyOf[i]), UInt64(spendOf[i]), 0, 0)
      }
    } else {
      (spendOf, spendFirst) = ([Int](repeating: 0, count: n), [])
      (rowOf, rowFirst) = ([Int](repeating: 0, count: n), [])
    }
  }

  /// Per group, one row per distinct (x, T) of its histories, sorted by (x, T).
  func pairRows(_ rows: [RFMSummary.Row], groupCount: Int) -> [[RFMSummary.Row]] {
    let pairFirst = DistinctKeys.index(count: historyFirst.count) { h in
      let row = rows[historyFirst[h]]
      return (
        UInt64(historyGroup[h]), UInt64(bitPattern: Int64(row.frequency)), row.age.bitPattern, 0
      )
    }.first
    var perGroup = [[RFMSummary.Row]](repeating: [], count: groupCount)
    for h in pairFirst { perGroup[historyGroup[h]].append(rows[historyFirst[h]]) }
    return perGroup.map {
      $0.sorted { $0.frequency != $1.frequency ? $0.frequency < $1.frequency : $0.age < $1.age }
    }
  }
}

extension PredictionIntervals {
  /// The bounds per distinct history (columns P(alive), expected purchases, P(no purchase)),
  /// per distinct spend input (expected spend) and per distinct row (CLV).
  struct DistinctBounds {
    var history: [(low: [Double], high: [Double])]
    var spend: (low: [Double], high: [Double])
    var clv: (low: [Double], high: [Double])
  }

  /// The histories are visited sorted by (group, x, T) in blocks, and each block draw by draw,
  /// so that one draw's per-(x, T) table stays in cache while its histories are scored; then
  /// the distinct rows of the block's histories, for the spend and CLV.
  static func distinctBounds(
    _ rows: [RFMSummary.Row], layout: DistinctLayout, scorers: [[Scorer]],
    spend: [any SpendModel]?, level: Double
  ) throws -> DistinctBounds {
    let names = ["p_alive", "expected_purchases", "prob_no_purchase", "expected_spend", "clv"]
    let draws = scorers[0].count
    let histories = layout.historyFirst.count
    let distinctRows = layout.rowFirst.count
    let order = (0..<histories).sorted {
      let (a, b) = (rows[layout.historyFirst[$0]], rows[layout.historyFirst[$1]])
      let (ga, gb) = (layout.historyGroup[$0], layout.historyGroup[$1])
      if ga != gb { return ga < gb }
      if a.frequency != b.frequency { return a.frequency < b.frequency }
      if a.age != b.age { return a.age < b.age }
      return $0 < $1
    }
    // The distinct rows of each history (CSR: rowsOf[rowStart[h]..<rowStart[h + 1]]).
    var rowStart = [Int](repeating: 0, count: histories + 1)
    var rowsOf = [Int](repeating: 0, count: distinctRows)
    for r in 0..<distinctRows { rowStart[layout.historyOf[layout.rowFirst[r]] + 1] += 1 }
    for h in 0..<histories { rowStart[h + 1] += rowStart[h] }
    var fill = rowStart
    for r in 0..<distinctRows {
      let h = layout.historyOf[layout.rowFirst[r]]
      rowsOf[fill[h]] = r
      fill[h] += 1
    }
    // A spend input's interval is computed with its first distinct row.
    let ownsSpend = (0..<distinctRows).map { r in
      let s = layout.spendOf[layout.rowFirst[r]]
      return layout.rowOf[layout.spendFirst[s]] == r
    }
    // The rows scored without their ids: passing a row copies its id, and retaining and
    // releasing the same strings from both threads, draws × rows times, costs more than the
    // scoring of a row (the ids name customers in errors only).
    func bare(_ row: RFMSummary.Row) -> RFMSummary.Row {
      RFMSummary.Row(
        customerID: "", frequency: row.frequency, recency: row.recency, age: row.age,
        monetaryValue: row.monetaryValue)
    }
    let historyRows = layout.historyFirst.map { bare(rows[$0]) }
    let spendRows = layout.rowFirst.map { bare(rows[$0]) }
    var history = [Double](repeating: 0, count: 6 * histories)
    var spendBounds = [Double](repeating: 0, count: 2 * layout.spendFirst.count)
    var clvBounds = [Double](repeating: 0, count: 2 * distinctRows)
    let block = 64
    let chunks = Parallel.chunks(count: histories, minimumChunk: 1024)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    history.withUnsafeMutableBufferPointer { historyBuffer in
      spendBounds.withUnsafeMutableBufferPointer { spendBuffer in
        clvBounds.withUnsafeMutableBufferPointer { clvBuffer in
          let historyOut = Parallel.SendablePointer(historyBuffer.baseAddress)
          let spendOut = Parallel.SendablePointer(spendBuffer.baseAddress)
          let clvOut = Parallel.SendablePointer(clvBuffer.baseAddress)
          Parallel.forEach(chunks) { chunk, range in
            var local = scorers
            let spendModels = spend
            // values[(c · block + k) · draws + d]: column c (P(alive), expected purchases,
            // P(no purchase), discounted purchases) of the k-th history of the block at draw d.
            var values = [Double](repeating: 0, count: 4 * block * draws)
            var spendValues = [Double](repeating: 0, count: draws)
            var clvValues = [Double](repeating: 0, count: draws)
            func failure(_ model: String, _ column: Int, _ row: Int, _ bad: Double) -> Error {
              ModelError.nonFinite(
                model: model,
                quantity: "\(names[column]) of customer '\(rows[row].customerID)' at a "
                  + "parameter draw (\(bad))")
            }
            var start = range.lowerBound
            while start < range.upperBound {
              let end = Swift.min(start + block, range.upperBound)
              for d in 0..<draws {
                for k in 0..<(end - start) {
                  let h = order[start + k]
                  let score = local[layout.historyGroup[h]][d].historyScore(historyRows[h])
                  values[k * draws + d] = score.probabilityAlive
                  values[(block + k) * draws + d] = score.expectedPurchases
                  values[(2 * block + k) * draws + d] = score.probabilityOfNoPurchase
                  values[(3 * block + k) * draws + d] = score.discountedPurchases
                }
              }
              for k in 0..<(end - start) {
                let h = order[start + k]
                for c in 0..<3 {
                  let slice = ((c * block + k) * draws)..<((c * block + k + 1) * draws)
                  if let bad = values[slice].first(where: { !$0.isFinite }) {
                    let model = type(of: local[layout.historyGroup[h]][0].transactions).modelName
                    errors.record(failure(model, c, layout.historyFirst[h], bad), chunk: chunk)
                    return
                  }
                  let bounds = values.withUnsafeMutableBufferPointer { buffer in
                    PercentileInterval.of(
                      UnsafeMutableBufferPointer(rebasing: buffer[slice]), level: level)
                  }
                  historyOut.pointer![2 * (c * histories + h)] = bounds.low
                  historyOut.pointer![2 * (c * histories + h) + 1] = bounds.high
                }
                guard let spendModels else { continue }
                let scorer = local[layout.historyGroup[h]][0]
                let discounted = (3 * block + k) * draws
                for position in rowStart[h]..<rowStart[h + 1] {
                  let r = rowsOf[position]
                  for d in 0..<draws {
                    let average = spendModels[d].expectedAverageSpend(for: spendRows[r])
                    spendValues[d] = average
                    clvValues[d] = scorer.customerValue(
                      average: average, discountedPurchases: values[discounted + d])
                  }
                  let spendName = type(of: spendModels[0]).modelName
                  if let bad = spendValues.first(where: { !$0.isFinite }) {
                    errors.record(failure(spendName, 3, layout.rowFirst[r], bad), chunk: chunk)
                    return
                  }
                  if let bad = clvValues.first(where: { !$0.isFinite }) {
                    errors.record(failure(spendName, 4, layout.rowFirst[r], bad), chunk: chunk)
                    return
                  }
                  if ownsSpend[r] {
                    let s = layout.spendOf[layout.rowFirst[r]]
                    let bounds = spendValues.withUnsafeMutableBufferPointer {
                      PercentileInterval.of($0, level: level)
                    }
                    spendOut.pointer![2 * s] = bounds.low
                    spendOut.pointer![2 * s + 1] = bounds.high
                  }
                  let bounds = clvValues.withUnsafeMutableBufferPointer {
                    PercentileInterval.of($0, level: level)
                  }
                  clvOut.pointer![2 * r] = bounds.low
                  clvOut.pointer![2 * r + 1] = bounds.high
                }
              }
              start = end
            }
          }
        }
      }
    }
    if let error = errors.first { throw error }
    func split(_ values: ArraySlice<Double>) -> (low: [Double], high: [Double]) {
      let base = values.startIndex
      let count = values.count / 2
      return (
        (0..<count).map { values[base + 2 * $0] }, (0..<count).map { values[base + 2 * $0 + 1] }
      )
    }
    return DistinctBounds(
      history: (0..<3).map { split(history[(2 * $0 * histories)..<(2 * ($0 + 1) * histories)]) },
      spend: split(spendBounds[...]), clv: split(clvBounds[...]))
  }
}
