import ArgumentParser
import CLVData
import CLVModels
import CLVScoring

struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Score customers: P(alive), expected purchases, spend, CLV, segment and lifecycle stage.",
    discussion: """
      Writes one CSV row per customer: customer_id,frequency,recency,T,monetary_value,p_alive,\
      expected_purchases,prob_no_purchase,expected_spend,clv. frequency, recency and T are in \
      the purchase model's unit (the input's times are converted when --unit differs); \
      expected_purchases and prob_no_purchase cover the next --horizon units; expected_spend \
      (Gamma-Gamma conditional mean) and clv are empty without --spend-model. clv is the \
      discounted expected margin over the horizon, summed per unit like lifetimes' \
      customer_lifetime_value: Σᵢ margin · spend · (E[Y(i)] − E[Y(i−1)]) / (1 + rate)^i. \
      Then segment, lifecycle_stage, as_of, first_purchase, last_purchase, \
      expected_next_purchase (dates yyyy-MM-dd), churn_probability (with --churn-model) and the \
      model ids (model, spend_model, churn_model); the rules are in the README ("Segments and \
      targeting"). A summary CSV has no dates: give --as-of to place them, or the segment and \
      stage columns stay empty. clv target reads this file.
      """
  )

  @Argument(help: "Order log or summary CSV, or - for standard input.")
  var input: String

  @Option(help: "Purchase model file from 'clv train' (bgnbd, mbgnbd, pnbd, bgbb) (required).")
  var model: String

  @Option(help: "Spend model file (gamma-gamma) for expected_spend and clv (default: none).")
  var spendModel: String?

  @Option(
    help: ArgumentHelp(
      """
      Horizon of expected_purchases, prob_no_purchase and clv: a number with a unit, 52w, 12m, \
      365d or 1y (a month is 365.25/12 days, a year 365.25), converted to the model's unit; a \
      bare number is in the model's unit and allowed only when the data (--unit) are in that \
      unit too (bgbb: a bare number of opportunities) (default: 52w; bgbb: 52).
      """, valueName: "horizon"))
  var horizon: String?

  @Option(
    help: """
      Discount rate per model unit for clv. With 0 the horizon may be any length (the sum is \
      E[Y(H)]); with a rate > 0 terms beyond the rounding of the sum are left out; a horizon \
      and rate needing more than 100000 per-unit terms are rejected (exit 64).
      """)
  var discountRate: Double = 0

  @Option(help: "Fraction of spend that is margin, for clv.")
  var margin: Double = 1

  @Option(
    help:
      "Score as of this day, yyyy-MM-dd: later orders are ignored (default: the last date in the file)."
  )
  var asOf: String?

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output.")
  var output: String = "-"

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "Segments and lifecycle stages") var segmentOptions: SegmentOptions

  func validate() throws {
    if input == "-", segmentOptions.customers == "-" {
      throw ValidationError("INPUT and --customers cannot both be standard input ('-')")
    }
    if let horizon, Horizon(horizon) == nil {
      throw ValidationError(
        "--horizon must be a number ≥ 0 with an optional unit (52w, 12m, 365d, 1y); got "
          + "'\(horizon)'")
    }
    if ingest.calibrationEnd != nil {
      throw ValidationError(
        "score does not take --calibration-end: to score as of a past day D (orders up to D, "
          + "as_of D), give --as-of D")
    }
    guard discountRate.isFinite, discountRate > -1 else {
      throw ValidationError("--discount-rate must be a number > -1; got \(discountRate)")
    }
    guard margin.isFinite else { throw ValidationError("--margin must be a number; got \(margin)") }
    if let asOf {
      guard Day(iso: asOf) != nil else {
        throw ValidationError("--as-of must be a date yyyy-MM-dd; got '\(asOf)'")
      }
      if ingest.observationEnd != nil {
        throw ValidationError("give --as-of or --observation-end, not both")
      }
    }
  }

  func run() throws {
    let (modelFile, transactions) = try ModelFile.readTransactionModel(from: model)
    let spend = try spendModel.map { try ModelFile.readSpendModel(from: $0).model }
    var ingest = self.ingest
    if let asOf { ingest.observationEnd = asOf }
    let out = try AtomicOutput(path: output)
    let summaries = try ingest.summaries(from: input)

    // Convert the input's times to the model's unit (BG/BB: opportunities, as given).
    var scale = 1.0
    if let unitName = modelFile.unit, let modelUnit = TimeUnit(rawValue: unitName),
      modelUnit != summaries.unit
    {
      scale = summaries.unit.days / modelUnit.days
      var stderr = StandardError()
      print(
        "clv: score: input in \(summaries.unit.rawValue)s, model in \(modelUnit.rawValue)s: "
          + "times converted to \(modelUnit.rawValue)s", to: &stderr)
    }

    let formulaLike = summaries.summary.rows.lazy.map(\.customerID).filter(
      CSVFormula.isFormulaLike)
    if let warning = CSVFormula.warning(
      file: output == "-" ? "<stdout>" : output, count: formulaLike.count,
      example: formulaLike.first)
    {
      var stderr = StandardError()
      print(
        "clv: warning: \(warning); clv target --neutralize-formulas prefixes them with ' in the "
          + "lists", to: &stderr)
    }
    let modelUnit = modelFile.unit.flatMap { TimeUnit(rawValue: $0) }
    let horizon = try Self.horizonLength(
      horizon, modelUnit: modelUnit,
      dataUnit: summaries.layout == .donations ? nil : summaries.unit)
    let periods = CustomerValue.periods(horizon: horizon, discountRate: discountRate)
    guard periods <= Double(CustomerValue.maximumPeriods) else {
      throw ValidationError(
        "--horizon \(self.horizon ?? "52w") with --discount-rate \(discountRate) needs "
          + "\(NumberText.string(periods)) per-unit terms of the CLV sum (at most "
          + "\(CustomerValue.maximumPeriods)): shorten the horizon or use a discount rate "
          + "≥ 0.0005 (0: closed form, any horizon)")
    }
    let scorer = Scorer(
      transactions: transactions, spend: spend, horizon: horizon, discountRate: discountRate,
      margin: margin)

    // First pass: the base scores of every customer (the segments need the whole file), in
    // parallel chunks with one Scorer (and its cache) per chunk.
    var rows = summaries.summary.rows
    if scale != 1 {
      for index in rows.indices {
        rows[index].recency *= scale
        rows[index].age *= scale
      }
    }
    let scored = try Self.baseScores(rows, scorer: scorer, modelUnit: modelUnit)
    var base = scored.base
    let churn = try segmentOptions.churnModel.map {
      try ChurnScorer(path: $0, attributesPath: segmentOptions.attributes)
    }
    base.churnProbability = try churn?.probabilities(for: summaries)
    let modelIDs = ModelIDs(
      transaction: modelFile.model, spend: spend.map { type(of: $0).modelID },
      churn: churn.map { _ in LogisticChurn.modelID })
    let segments = try ScoreSegments.make(
      summaries: summaries, scores: base, options: segmentOptions, models: modelIDs,
      asOf: asOf.flatMap { Day(iso: $0) })
    if segments == nil, summaries.layout != .donations {
      var stderr = StandardError()
      print(
        "clv: score: segment and lifecycle columns left empty: the input has no dates "
          + "(give --as-of with a summary CSV)", to: &stderr)
    }

    // Second pass: write, formatting chunks of rows into bytes on every core, in order.
    try out.write(
      "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,"
        + "prob_no_purchase,expected_spend,clv" + ScoreSegments.header + "\n")
    let writer = ScoreRowWriter(
      rows: rows, hasMoney: summaries.hasMonetaryValue, base: base, noPurchase: scored.noPurchase,
      expectedSpend: scored.expectedSpend, segments: segments,
      undatedModels: ScoreSegments.undatedModelFields(models: modelIDs),
      unitDays: (modelUnit ?? summaries.unit).days)
    try writer.write(to: out)
    if let segments {
      for index in segments.customersWithOrders..<segments.rowCount {
        try out.write(segments.prospectLine(row: index))
      }
    }
    try out.commit()
  }
}

extension Score {
  /// The length of `--horizon` (`text`, or the default: 52 weeks, 52 opportunities for BG/BB)
  /// in the model's unit.
  /// - Throws: `ValidationError` (exit 64) for a bare number when the units differ, or a suffix
  ///   for a model without a time unit.
  static func horizonLength(
    _ text: String?, modelUnit: TimeUnit?, dataUnit: TimeUnit?
  ) throws
    -> Double
  {
    let horizon =
      text.flatMap(Horizon.init) ?? Horizon(amount: 52, suffix: modelUnit == nil ? nil : .week)
    do {
      return try horizon.length(in: modelUnit, dataUnit: dataUnit)
    } catch let error as HorizonError {
      throw ValidationError(error.description)
    }
  }

  /// The base scores of `rows`, computed in parallel chunks (one `Scorer` per chunk: its cache
  /// is per instance), with the finiteness check of every written value.
  /// - Throws: `ModelError` naming the first customer (in file order) with a non-finite score.
  static func baseScores(
    _ rows: [RFMSummary.Row], scorer: Scorer, modelUnit: TimeUnit?
  ) throws -> (base: BaseScores, noPurchase: [Double], expectedSpend: [Double?]) {
    struct Part {
      var alive: [Double] = []
      var expected: [Double] = []
      var noPurchase: [Double] = []
      var spend: [Double?] = []
      var clv: [Double?] = []
      var waiting: [Double?] = []
    }
    let transactions = scorer.transactions
    let spendModelName = scorer.spend.map { type(of: $0).modelName } ?? "spend model"
    let chunks = Parallel.chunks(count: rows.count)
    let errors = Parallel.ErrorSlots(count: chunks.count)
    let parts = Parallel.Slots<Part>(count: chunks.count)
    Parallel.forEach(chunks) { chunk, range in
      var scorer = scorer
      var part = Part()
      for index in range {
        let row = rows[index]
        let score = scorer.score(row)
        let id = row.customerID
        func check(_ value: Double, _ name: String) throws {
          _ = try transactions.checkedFinite(value, "\(name) of customer '\(id)'")
        }
        // expected_spend is the spend model's own value: its error names that model.
        func checkSpend(_ value: Double) throws {
          guard value.isFinite else {
            throw ModelError.nonFinite(
              model: spendModelName, quantity: "expected_spend of customer '\(id)'")
          }
        }
        do {
          try check(score.probabilityAlive, "p_alive")
          try check(score.expectedPurchases, "expected_purchases")
          try check(score.probabilityOfNoPurchase, "prob_no_purchase")
          if let value = score.expectedSpend { try checkSpend(value) }
          if let value = score.customerValue { try check(value, "clv") }
        } catch {
          errors.record(error, chunk: chunk)
          return
        }
        part.alive.append(score.probabilityAlive)
        part.expected.append(score.expectedPurchases)
        part.noPurchase.append(score.probabilityOfNoPurchase)
        part.spend.append(score.expectedSpend)
        part.clv.append(score.customerValue)
        part.waiting.append(
          modelUnit.flatMap { unit in
            transactions.expectedTimeToNextPurchase(for: row).map { $0 * unit.days }
          })
      }
      parts[chunk] = part
    }
    if let error = errors.first { throw error }
    var base = BaseScores()
    var noPurchase: [Double] = []
    var spend: [Double?] = []
    base.probabilityAlive.reserveCapacity(rows.count)
    base.expectedPurchases.reserveCapacity(rows.count)
    base.clv.reserveCapacity(rows.count)
    base.expectedWaitingDays.reserveCapacity(rows.count)
    noPurchase.reserveCapacity(rows.count)
    spend.reserveCapacity(rows.count)
    for part in parts.values {
      base.probabilityAlive += part.alive
      base.expectedPurchases += part.expected
      base.clv += part.clv
      base.expectedWaitingDays += part.waiting
      noPurchase += part.noPurchase
      spend += part.spend
    }
    return (base, noPurchase, spend)
  }
}

/// Writes the rows of customers with orders: each field's bytes formatted directly (numbers in
/// `NumberText`'s one format, as `clv summarize` writes them), chunks of rows formatted
/// concurrently into their own buffers and written in order, a few chunks at a time.
struct ScoreRowWriter {
  let rows: [RFMSummary.Row]
  let hasMoney: Bool
  let base: BaseScores
  let noPurchase: [Double]
  let expectedSpend: [Double?]
  let segments: ScoreSegments?
  /// `,model,spend_model,churn_model` for rows without segment columns.
  let undatedModels: [UInt8]
  /// The length of the model unit in days: recency and T are mostly whole days / unit.
  let unitDays: Double

  /// Rows per formatted chunk, and chunks formatted at once (so about 8 × 8,192 rows are
  /// buffered: the output streams).
  static let chunkSize = 8192
  static let chunksPerRound = 8

  func write(to out: AtomicOutput) throws {
    let chunks = stride(from: 0, to: rows.count, by: Self.chunkSize).map {
      $0..<min($0 + Self.chunkSize, rows.count)
    }
    var buffers = [[UInt8]](repeating: [], count: Self.chunksPerRound)
    for roundStart in stride(from: 0, to: chunks.count, by: Self.chunksPerRound) {
      let round = Array(chunks[roundStart..<min(roundStart + Self.chunksPerRound, chunks.count)])
      buffers.withUnsafeMutableBufferPointer { buffers in
        let pointer = Parallel.SendablePointer(buffers.baseAddress)
        Parallel.forEach(round) { index, range in
          pointer.pointer![index].removeAll(keepingCapacity: true)
          format(range, into: &pointer.pointer![index])
        }
      }
      for index in round.indices { try out.write(bytes: buffers[index]) }
    }
  }

  /// Appends the lines of `range` to `out`.
  func format(_ range: Range<Int>, into out: inout [UInt8]) {
    var times = NumberText.TimeTextCache(unitDays: unitDays, enabled: true)
    let comma: UInt8 = 44
    for index in range {
      let row = rows[index]
      NumberText.appendField(row.customerID, to: &out)
      out.append(comma)
      NumberText.appendInteger(row.frequency, to: &out)
      out.append(comma)
      times.append(row.recency, to: &out)
      out.append(comma)
      times.append(row.age, to: &out)
      out.append(comma)
      if hasMoney { NumberText.appendCompact(row.monetaryValue, to: &out) }
      out.append(comma)
      NumberText.appendCompact(base.probabilityAlive[index], to: &out)
      out.append(comma)
      NumberText.appendCompact(base.expectedPurchases[index], to: &out)
      out.append(comma)
      NumberText.appendCompact(noPurchase[index], to: &out)
      out.append(comma)
      if let value = expectedSpend[index] { NumberText.appendCompact(value, to: &out) }
      out.append(comma)
      if let value = base.clv[index] { NumberText.appendCompact(value, to: &out) }
      if let segments {
        segments.appendFields(row: index, to: &out)
      } else {
        ScoreSegments.appendUndatedFields(
          models: undatedModels, churnProbability: base.churnProbability?[index], to: &out)
      }
      out.append(10)
    }
  }
}
