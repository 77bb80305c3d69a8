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
      customer_lifetime_value: Σᵢ margin · spend · (E[Y(i)] − E[Y(i−1)]) / (1 + rate)^i.
      """
  )

  @Argument(help: "Order log or summary CSV, or - for standard input.")
  var input: String

  @Option(help: "Purchase model file from 'clv train' (bgnbd, mbgnbd, pnbd, bgbb) (required).")
  var model: String

  @Option(help: "Spend model file (gamma-gamma) for expected_spend and clv (default: none).")
  var spendModel: String?

  @Option(help: "Horizon of expected_purchases, prob_no_purchase and clv, in model units (default: 52).")
  var horizon: Double = 52

  @Option(help: "Discount rate per model unit for clv (default: 0).")
  var discountRate: Double = 0

  @Option(help: "Fraction of spend that is margin, for clv (default: 1).")
  var margin: Double = 1

  @Option(
    help: "Score as of this day, yyyy-MM-dd: later orders are ignored (default: the last date in the file).")
  var asOf: String?

  @Option(name: .shortAndLong, help: "Output CSV file, or - for standard output (default: -).")
  var output: String = "-"

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "Segments and lifecycle stages") var segmentOptions: SegmentOptions

  func validate() throws {
    if input == "-", segmentOptions.customers == "-" {
      throw ValidationError("INPUT and --customers cannot both be standard input ('-')")
    }
    guard horizon.isFinite, horizon >= 0 else {
      throw ValidationError("--horizon must be a number ≥ 0; got \(horizon)")
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

    var scorer = Scorer(
      transactions: transactions, spend: spend, horizon: horizon, discountRate: discountRate,
      margin: margin)
    let hasMoney = summaries.hasMonetaryValue
    let modelUnit = modelFile.unit.flatMap { TimeUnit(rawValue: $0) }

    // First pass: the base scores of every customer (the segments need the whole file).
    var rows = summaries.summary.rows
    var scores: [CustomerScore] = []
    scores.reserveCapacity(rows.count)
    var base = BaseScores()
    for index in rows.indices {
      rows[index].recency *= scale
      rows[index].age *= scale
      let row = rows[index]
      let score = scorer.score(row)
      let id = row.customerID
      func check(_ value: Double, _ name: String) throws {
        _ = try transactions.checkedFinite(value, "\(name) of customer '\(id)'")
      }
      try check(score.probabilityAlive, "p_alive")
      try check(score.expectedPurchases, "expected_purchases")
      try check(score.probabilityOfNoPurchase, "prob_no_purchase")
      if let value = score.expectedSpend { try check(value, "expected_spend") }
      if let value = score.customerValue { try check(value, "clv") }
      scores.append(score)
      base.probabilityAlive.append(score.probabilityAlive)
      base.expectedPurchases.append(score.expectedPurchases)
      base.clv.append(score.customerValue)
      base.expectedWaitingDays.append(
        modelUnit.flatMap { unit in
          transactions.expectedTimeToNextPurchase(for: row).map { $0 * unit.days }
        })
    }
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

    // Second pass: write.
    try out.write(
      "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,"
        + "prob_no_purchase,expected_spend,clv" + ScoreSegments.header + "\n")
    var line = ""
    var bytes: [UInt8] = []
    for (index, row) in rows.enumerated() {
      let score = scores[index]
      line.removeAll(keepingCapacity: true)
      line += csvField(row.customerID)
      line += ",\(row.frequency),\(row.recency),\(row.age),"
      line += hasMoney ? "\(row.monetaryValue)" : ""
      line += ",\(score.probabilityAlive),\(score.expectedPurchases)"
      line += ",\(score.probabilityOfNoPurchase),"
      if let value = score.expectedSpend { line += "\(value)" }
      line += ","
      if let value = score.customerValue { line += "\(value)" }
      try out.write(line)
      bytes.removeAll(keepingCapacity: true)
      if let segments {
        segments.appendFields(row: index, to: &bytes)
      } else {
        bytes.append(
          contentsOf: ScoreSegments.undatedFields(
            models: modelIDs, churnProbability: base.churnProbability?[index]
          ).utf8)
      }
      bytes.append(10)
      try out.write(bytes: bytes)
    }
    if let segments {
      for index in segments.customersWithOrders..<segments.rowCount {
        try out.write(segments.prospectLine(row: index))
      }
    }
    try out.commit()
  }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
func csvField(_ text: String) -> String {
  guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
    return text
  }
  return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
