// Release-mode benchmark of the contractual models (not a test):
//
//     swift build -c release --product subscriber-benchmark && .build/release/subscriber-benchmark [n]
//
// Simulates n subscribers (default 1,000,000) from a BdW with known parameters, starting over 36
// periods and observed to period 36 (SubscriberSimulation, seeded), writes them as a CSV
// (customer_id,start_period,end_period), then times the stages a user runs: reading the file
// (SubscriberData.read), collapsing to durations, fitting the sBG and the BdW, and scoring every
// subscriber (SubscriberScoreTable with DERL at 1% per period). The fit costs nothing per
// subscriber: the likelihood is a sum over distinct (tenure, censored) cells.
import CLVData
import CLVModels
import CLVScoring
import Foundation

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let truth = (gamma: 0.8, delta: 2.5, c: 0.8)

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = Date()
  try body()
  return Date().timeIntervalSince(start)
}

let simulated = SubscriberSimulation.subscribers(
  count: n, gamma: truth.gamma, delta: truth.delta, c: truth.c, starts: 36, asOf: 36,
  seed: 20_261_207)
var text = "customer_id,start_period,end_period\n"
for subscriber in simulated.subscribers {
  text += "\(subscriber.customerID),\(subscriber.start),\(subscriber.end.map(String.init) ?? "")\n"
}
let path = FileManager.default.temporaryDirectory
  .appendingPathComponent("subscriber-benchmark-\(n).csv").path
try text.write(toFile: path, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: path) }

var data: SubscriberData?
let read = try seconds { data = try SubscriberData.read(path: path) }
var durations = ContractDurations()
let collapse = try seconds { durations = try data!.durations() }
var sbg: SBG?
let fitSBG = try seconds { sbg = try SBG.fit(durations, options: FitOptions()) }
var bdw: BDW?
let fitBDW = try seconds { bdw = try BDW.fit(durations, options: FitOptions()) }
var rows = 0
let score = try seconds {
  rows = try SubscriberScoreTable(data: data!, model: bdw!, horizon: 12, discountRate: 0.01)
    .rows.count
}
func fixed(_ value: Double, _ digits: Int = 3) -> String {
  String(format: "%.\(digits)f", value)
}
print("\(n) subscribers, \(durations.distinctCells) distinct (tenure, censored) cells")
print("read \(fixed(read)) s, collapse \(fixed(collapse)) s, score \(rows) rows \(fixed(score)) s")
print(
  "sBG fit \(fixed(fitSBG)) s: gamma \(fixed(sbg!.gamma, 4)), delta \(fixed(sbg!.delta, 4))")
print(
  "BdW fit \(fixed(fitBDW)) s: gamma \(fixed(bdw!.gamma, 4)), delta \(fixed(bdw!.delta, 4)), "
    + "c \(fixed(bdw!.c, 4)) (truth \(truth.gamma), \(truth.delta), \(truth.c))")
