// QuickTour: clvkit used from Swift, with nothing but `import CLVKit` — the steps of
// `clv demo` on datasets/demo-orders.csv: summarize, fit, evaluate, score, segment, report.
//
//     swift run QuickTour [datasets folder] [output folder]
//
// Prints one "name value" line per number (the demo's models, holdout errors and scores).
import CLVKit

let arguments = CommandLine.arguments.dropFirst()
let orders = (arguments.first ?? "datasets") + "/demo-orders.csv"
let outputFolder = arguments.dropFirst().first ?? "."
let end = Day(iso: "2024-12-30")!

// 1. Summarize the order log per customer (frequency, recency, T in weeks; monetary value).
let summaries = try CustomerSummaries.read(
  path: orders, format: OrderLogFormat(), period: SummaryPeriod(unit: .week, observationEnd: end))
print("customers \(summaries.count)")

// 2. Fit a purchase model (BG/NBD) and a spend model (Gamma-Gamma).
let bgnbd = try BGNBD.fit(summaries.summary, weights: summaries.weights)
let spend = try GammaGamma.fit(summaries.summary, weights: summaries.weights)
for model in [bgnbd, spend] as [any FittedModel] {
  for (name, value) in zip(model.parameterNames, model.parameterValues) {
    print("\(type(of: model).modelID).\(name) \(value)")
  }
}

// 3. Evaluate models on a holdout: fit to 2024-06-30, predict the second half of 2024
// (the demo also evaluates Pareto/NBD: add "pnbd"; its fit is slow in a debug build).
let plan = EvaluationPlan(
  input: orders, sha256: SHA256.hex(ofFile: orders) ?? "",
  period: SummaryPeriod(unit: .week, observationEnd: end, calibrationEnd: Day(iso: "2024-06-30")),
  models: ["bgnbd", "gamma-gamma", "churn-logit"], toolVersion: "QuickTour")
let run = try EvaluationRun.run(plan)
for result in run.models {
  if let holdout = result.holdout { print("holdout-mae.\(result.model) \(holdout.mae)") }
  if let churn = result.churn { print("auc.\(result.model) \(churn.auc)") }
}

// 4. Score every customer (P(alive), expected purchases, CLV over 52 weeks) and segment them.
let table = try ScoreTable(summaries: summaries, model: bgnbd, modelUnit: .week, spend: spend)
print("total-clv \(table.scores.clv.reduce(0) { $0 + ($1 ?? 0) })")
print("mean-p-alive \(table.scores.probabilityAlive.reduce(0, +) / Double(table.rows.count))")
var segments: [Segment: Int] = [:]
for row in 0..<(table.segments?.rowCount ?? 0) {
  segments[table.segments!.labels(row: row).segment, default: 0] += 1
}
for (segment, count) in segments.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
  print("segment.\(segment.rawValue) \(count)")
}

// 5. Render the comparison report of the evaluation as one HTML page.
let report = ComparisonReport([ComparisonReport.Input(file: "QuickTour", run: run)])
let html = try AtomicOutput(path: outputFolder + "/quick-tour-report.html")
try html.write(report.html())
try html.commit()
print("report \(outputFolder)/quick-tour-report.html")
