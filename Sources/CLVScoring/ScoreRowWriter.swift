import CLVData

/// Writes the rows of customers with orders: each field's bytes formatted directly (numbers in
/// `NumberText`'s one format, as `clv summarize` writes them), chunks of rows formatted
/// concurrently into their own buffers and written in order, a few chunks at a time.
struct ScoreRowWriter {
  let table: ScoreTable
  /// `,model,spend_model,churn_model` for rows without segment columns.
  let undatedModels: [UInt8]

  init(table: ScoreTable) {
    self.table = table
    undatedModels = ScoreSegments.undatedModelFields(models: table.models)
  }

  /// Rows per formatted chunk, and chunks formatted at once (so about 8 × 8,192 rows are
  /// buffered: the output streams).
  static let chunkSize = 8192
  static let chunksPerRound = 8

  func write(to out: AtomicOutput) throws {
    let count = table.rows.count
    let chunks = stride(from: 0, to: count, by: Self.chunkSize).map {
      $0..<min($0 + Self.chunkSize, count)
    }
    // One buffer and one set of text caches per slot of a round, kept across rounds.
    let slots = Self.chunksPerRound
    let buffers = UnsafeMutablePointer<ByteWriter>.allocate(capacity: slots)
    for slot in 0..<slots { (buffers + slot).initialize(to: ByteWriter(capacity: 1 << 20)) }
    defer {
      buffers.deinitialize(count: slots)
      buffers.deallocate()
    }
    var caches = [TextCaches](
      repeating: TextCaches(
        times: NumberText.TimeTextCache(unitDays: table.unitDays, enabled: true),
        values: NumberText.CompactTextCache()),
      count: slots)
    for roundStart in stride(from: 0, to: chunks.count, by: slots) {
      let round = Array(chunks[roundStart..<min(roundStart + slots, chunks.count)])
      caches.withUnsafeMutableBufferPointer { caches in
        let pointer = BufferSlots(pointer: buffers)
        let cache = Parallel.SendablePointer(caches.baseAddress)
        Parallel.forEach(round) { index, range in
          pointer.pointer![index].removeAll()
          format(range, into: &pointer.pointer![index], caches: &cache.pointer![index])
        }
      }
      for index in round.indices { try out.write(buffers[index]) }
    }
  }

  /// The output buffers of a round's slots, shared by the chunks (each writes only its own).
  struct BufferSlots: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<ByteWriter>?
  }

  /// The text caches of one formatting slot: recency and T by day count; P(alive), expected
  /// purchases and P(no purchase), which depend on the history (x, tₓ, T) only and repeat
  /// across customers who share one, by value.
  struct TextCaches {
    var times: NumberText.TimeTextCache
    var values: NumberText.CompactTextCache
  }

  /// Appends the lines of `range` to `out`.
  func format(_ range: Range<Int>, into out: inout ByteWriter, caches: inout TextCaches) {
    let comma: UInt8 = 44
    let base = table.scores
    for index in range {
      let row = table.rows[index]
      NumberText.appendField(row.customerID, to: &out)
      out.append(comma)
      NumberText.appendInteger(row.frequency, to: &out)
      out.append(comma)
      caches.times.append(row.recency, to: &out)
      out.append(comma)
      caches.times.append(row.age, to: &out)
      out.append(comma)
      if table.hasMonetaryValue { NumberText.appendCompact(row.monetaryValue, to: &out) }
      out.append(comma)
      caches.values.append(base.probabilityAlive[index], to: &out)
      out.append(comma)
      caches.values.append(base.expectedPurchases[index], to: &out)
      out.append(comma)
      caches.values.append(base.probabilityOfNoPurchase[index], to: &out)
      out.append(comma)
      if let value = base.expectedSpend[index] { NumberText.appendCompact(value, to: &out) }
      out.append(comma)
      if let value = base.clv[index] { NumberText.appendCompact(value, to: &out) }
      if let segments = table.segments {
        segments.appendFields(row: index, to: &out)
      } else {
        ScoreSegments.appendUndatedFields(
          models: undatedModels, churnProbability: base.churnProbability?[index], to: &out)
      }
      if let acquisition = table.acquisition { acquisition.appendFields(row: index, to: &out) }
      if let intervals = table.intervals { intervals.appendFields(row: index, to: &out) }
      out.append(10)
    }
  }
}
