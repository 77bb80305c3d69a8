// clv-fuzz: a seeded mutation-loop fuzzer of every file reader clvkit has (orders, summaries,
// model files, scores, run files, attributes, customer lists).
//
//     clv-fuzz [--seconds N] [--seed S] [--out FOLDER]
//
// Each input is a valid seed file of one reader, mutated (bytes flipped, inserted, deleted,
// repeated; fields replaced by hostile values; files spliced and cut). It checks that
//   - the reader returns or throws: no crash (a crash writes the input to
//     FOLDER/clv-fuzz-crash.bin from the signal handler) and no hang (an input running over
//     10 s is written to FOLDER/clv-fuzz-hang.bin and the run fails);
//   - every rejection is a located error: a clvkit error (DataError, ModelError) whose one-line
//     description starts with the file's name, at most 1 000 characters long.
// Exit 0 when nothing was found, 1 otherwise; a summary line per reader on standard output.
import CLVData
import CLVEvaluation
import CLVModels
import CLVScoring
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

// MARK: Options

var seconds = 30.0
var seed: UInt64 = 1
var folder = FileManager.default.temporaryDirectory.path
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
  guard let value = arguments.popFirst() else {
    FileHandle.standardError.write(Data("clv-fuzz: \(option) needs a value\n".utf8))
    exit(64)
  }
  switch option {
  case "--seconds": seconds = Double(value) ?? seconds
  case "--seed": seed = UInt64(value) ?? seed
  case "--out": folder = value
  default:
    FileHandle.standardError.write(
      Data("clv-fuzz: unknown option \(option) (--seconds N, --seed S, --out FOLDER)\n".utf8))
    exit(64)
  }
}

// MARK: Crash and hang reports

/// The input being read, for the signal handler (written with write(2) only).
nonisolated(unsafe) var current = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 22)
nonisolated(unsafe) var currentCount = 0
nonisolated(unsafe) var crashPath = Array((folder + "/clv-fuzz-crash.bin").utf8CString)

func saveCurrent(to path: UnsafePointer<CChar>) {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  if fd >= 0 {
    _ = write(fd, current.baseAddress, currentCount)
    close(fd)
  }
}

for signal in [SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGFPE, SIGABRT] {
  Glibc.signal(signal) { number in
    crashPath.withUnsafeBufferPointer { saveCurrent(to: $0.baseAddress!) }
    let message = "clv-fuzz: CRASH (signal); input saved to clv-fuzz-crash.bin\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    Glibc.signal(number, SIG_DFL)
    raise(number)
  }
}

/// Monotonic seconds.
func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

nonisolated(unsafe) var inputStarted = now()
let hangLimit = 10.0
let hangPath = folder + "/clv-fuzz-hang.bin"
// A thread of its own (not an actor-isolated timer): it only reads the start time.
Thread.detachNewThread { @Sendable in
  while true {
    sleep(1)
    if now() - inputStarted > hangLimit {
      hangPath.withCString { saveCurrent(to: $0) }
      let message = "clv-fuzz: HANG (> \(hangLimit) s); input saved to \(hangPath)\n"
      _ = message.withCString { write(2, $0, strlen($0)) }
      exit(1)
    }
  }
}

// MARK: Seeds

/// SplitMix64 (Steele, Lea & Flood 2014), as the test support's generator.
struct Random {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// Lines joined by LF, with a final LF.
func file(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

let orders = file([
  "customer_id,date,amount", "a,2024-01-02,10.50", "b,2024-01-03,3", "a,2024-02-10,7.25",
  #""c, ""quoted""",2024-03-01,12"#, "b,2024-01-01,-2", "a,2024-01-05,1", "d,2024-04-30,100",
])
let summaries = file([
  "customer_id,frequency,recency,T,monetary_value", "a,2,5.5,20,8.25",
  "b,0,0,12.142857142857142,0", "c,1,3,3,12",
])
let modelFile =
  (try? ModelFile(
    model: BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), unit: .time(.week),
    data: ModelFile.DataSource(
      file: "orders.csv", observationEnd: "1998-06-30", calibrationEnd: "1997-09-30"),
    toolVersion: "fuzz"
  ).jsonText()) ?? "{}"
let scores = file([
  "customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,prob_no_purchase,"
    + "expected_spend,clv,segment,lifecycle_stage,as_of,first_purchase,last_purchase,"
    + "expected_next_purchase,churn_probability,model,spend_model,churn_model",
  "a,2,5.5,20,8.25,0.8,1.2,0.3,9.1,40.5,loyal,active,2024-06-30,2024-01-02,2024-02-10,"
    + "2024-07-20,,bgnbd,gamma-gamma,",
  "\"b\nx\",0,0,12,0,0.9,0.4,0.7,,,new-buyer,new,2024-06-30,2024-03-01,2024-03-01,,0.2,bgnbd,,m.json",
  "p,,,,,,,,,,prospect,,2024-06-30,,,,,,,",
])
let runFile: String = {
  let tracking = RunFile.Tracking(
    calibrationEnd: 2,
    points: (1...4).map {
      RunFile.TrackingPoint(
        period: Double($0), actualCumulative: Double($0 * 3), expectedCumulative: Double($0) * 2.9)
    })
  let holdout = RunFile.Holdout(
    mae: 0.5, rmse: 0.8, predictedTotal: 10, actualTotal: 11, bias: -1, customers: 3,
    conditionalExpectation: [
      RunFile.ConditionalExpectationRow(frequency: "0", customers: 2, predicted: 0.2, actual: 0.1)
    ], tracking: tracking)
  let run = RunFile(
    run: "fuzz", createdAt: "2026-12-07T00:00:00Z",
    tool: RunFile.Tool(name: "clv", version: "fuzz"),
    data: RunFile.DataInfo(
      file: "orders.csv", sha256: String(repeating: "0", count: 64),
      calibrationEnd: "2024-06-30", observationEnd: "2024-12-30", unit: .time(.week), customers: 3),
    models: [
      RunFile.ModelResult(
        model: "bgnbd", parameters: ["r": 0.2, "alpha": 4, "a": 0.8, "b": 2.4], unit: .time(.week),
        holdout: holdout)
    ],
    ranking: RunFile.Ranking(byMAE: [RunFile.RankEntry(model: "bgnbd", value: 0.5)], byAUC: []))
  return (try? run.encoded()) ?? "{}"
}()
let attributes = file([
  "customer_id,region,age", "a,north,34", "\"b\nx\",south,NA", "c, east ,",
])
let customerList = file([
  "customer_id,name", "a,Alice", #""b"# + "\n" + #"x","Bob, ""B""""#, "p,",
])

// MARK: Readers

enum Outcome {
  case accepted
  case located
  case unlocated(String)
}

/// A reader of one file kind: its seed and how to read bytes (through a file when the reader
/// reads paths).
struct Reader {
  var name: String
  var file: String
  var seed: String
  var read: (_ bytes: [UInt8], _ path: String) throws -> Void
}

func viaFile(_ bytes: [UInt8], _ path: String) throws -> String {
  let url = URL(fileURLWithPath: path)
  try Data(bytes).write(to: url)
  return path
}

let readers: [Reader] = [
  Reader(name: "orders", file: "orders.csv", seed: orders) { bytes, path in
    _ = try CustomerSummaries.read(
      orders: try viaFile(bytes, path), format: OrderLogFormat(), period: SummaryPeriod(),
      acceptSummaryCSV: true)
  },
  Reader(name: "summaries", file: "summary.csv", seed: summaries) { bytes, path in
    _ = try SummaryCSVReader.read(path: try viaFile(bytes, path), unit: .week)
  },
  Reader(name: "model files", file: "model.json", seed: modelFile) { bytes, path in
    let file = try ModelFile.decode(Data(bytes), path: path)
    _ = try file.makeModel(path: path)
  },
  Reader(name: "scores", file: "scores.csv", seed: scores) { bytes, path in
    _ = try ScoresReader.parse(bytes, file: path)
  },
  Reader(name: "run files", file: "run.json", seed: runFile) { bytes, path in
    _ = try RunFile.decode(Data(bytes), file: path)
  },
  Reader(name: "attributes", file: "attributes.csv", seed: attributes) { bytes, path in
    _ = try CustomerAttributes(path: try viaFile(bytes, path))
  },
  Reader(name: "customer lists", file: "customers.csv", seed: customerList) { bytes, path in
    _ = try CustomerListReader.parse(bytes, file: path)
  },
]

func outcome(_ error: Error, file: String) -> Outcome {
  let description: String
  switch error {
  case let e as DataError: description = e.description
  case let e as ModelError: description = e.description
  default: return .unlocated("not a clvkit error: \(type(of: error)): \(error)")
  }
  guard description.hasPrefix(file) else { return .unlocated("no file name: \(description)") }
  guard !description.contains("\n"), description.utf8.count <= 1000 else {
    return .unlocated("not one short line (\(description.utf8.count) bytes)")
  }
  return .located
}

// MARK: Mutations

let hostile: [String] = [
  "", "-1", "0", "1e308", "-1e308", "5e-324", "nan", "inf", "NaN", "1e19", "99999999999999999999",
  "=cmd|' /C calc'!A0", "@SUM(1)", "\"", "\"\"", ",", "\n", "\r\n", "\u{0}", " a ", "9999-12-31",
  "1997-02-30", "0000-01-01", "null", "true", "{}", "[]", "fortnight", "é", "\u{FEFF}",
  String(repeating: "x", count: 5000),
]

func mutate(_ input: [UInt8], _ random: inout Random, corpus: [[UInt8]]) -> [UInt8] {
  var bytes = input
  for _ in 0...random.below(4) {
    let position = random.below(bytes.count + 1)
    switch random.below(9) {
    case 0 where !bytes.isEmpty:  // flip bits
      let i = random.below(bytes.count)
      bytes[i] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
    case 1:  // insert a byte, often a special one
      let special: [UInt8] = [0, 10, 13, 34, 44, 59, 0xFF, 0xC3, 0x80, 32, 9, 45, 61, 46]
      let byte =
        random.below(2) == 0 ? special[random.below(special.count)] : UInt8(random.below(256))
      bytes.insert(byte, at: position)
    case 2 where !bytes.isEmpty:  // delete a range
      let length = Swift.min(bytes.count - Swift.min(position, bytes.count), 1 + random.below(16))
      bytes.removeSubrange(
        Swift.min(position, bytes.count)..<Swift.min(position, bytes.count) + length)
    case 3 where !bytes.isEmpty:  // repeat a range
      let start = random.below(bytes.count)
      let end = Swift.min(bytes.count, start + 1 + random.below(64))
      bytes.insert(contentsOf: bytes[start..<end], at: position)
    case 4, 5:  // replace a field (text between delimiters) by a hostile value
      let delimiters: Set<UInt8> = [44, 10, 58, 34, 123, 125, 91, 93]
      guard !bytes.isEmpty else { break }
      var start = random.below(bytes.count)
      while start > 0, !delimiters.contains(bytes[start - 1]) { start -= 1 }
      var end = start
      while end < bytes.count, !delimiters.contains(bytes[end]) { end += 1 }
      bytes.replaceSubrange(start..<end, with: Array(hostile[random.below(hostile.count)].utf8))
    case 6:  // splice with another corpus entry
      let other = corpus[random.below(corpus.count)]
      let cut = random.below(other.count + 1)
      bytes = Array(bytes[..<Swift.min(position, bytes.count)]) + other[cut...]
    case 7:  // truncate
      bytes = Array(bytes.prefix(position))
    default:  // repeat a line many times
      if let newline = bytes.firstIndex(of: 10) {
        let line = bytes[...newline]
        for _ in 0..<random.below(200) { bytes.append(contentsOf: line) }
      }
    }
  }
  return Array(bytes.prefix(current.count))
}

// MARK: The loop

var random = Random(state: seed)
let directory = folder + "/clv-fuzz-\(getpid())"
try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
// Every seed must be accepted (else the fuzzer mutates a rejected file only).
for reader in readers {
  do {
    try reader.read(Array(reader.seed.utf8), directory + "/" + reader.file)
  } catch {
    print("clv-fuzz: \(reader.name): the seed file is rejected: \(error)")
    exit(2)
  }
}
var counts = [(inputs: Int, accepted: Int, rejected: Int)](
  repeating: (0, 0, 0), count: readers.count)
var corpus = readers.map { [Array($0.seed.utf8)] }
var failures = 0
let started = now()
var slowest = 0.0
while now() - started < seconds {
  for (k, reader) in readers.enumerated() {
    let base = corpus[k][random.below(corpus[k].count)]
    let input = random.below(50) == 0 ? base : mutate(base, &random, corpus: corpus[k])
    _ = input.withUnsafeBufferPointer { current.update(fromContentsOf: $0) }
    currentCount = input.count
    let path = directory + "/" + reader.file
    inputStarted = now()
    var result = Outcome.accepted
    do {
      try reader.read(input, path)
    } catch {
      result = outcome(error, file: path)
    }
    slowest = Swift.max(slowest, now() - inputStarted)
    counts[k].inputs += 1
    switch result {
    case .accepted:
      counts[k].accepted += 1
      // Accepted inputs become seeds (bounded), so mutations reach deeper.
      if corpus[k].count < 256, input.count < 1 << 16 { corpus[k].append(input) }
    case .located: counts[k].rejected += 1
    case .unlocated(let message):
      failures += 1
      let saved = folder + "/clv-fuzz-unlocated-\(failures).bin"
      try? Data(input).write(to: URL(fileURLWithPath: saved))
      print("clv-fuzz: \(reader.name): rejection without location: \(message) (input: \(saved))")
    }
  }
}
for (k, reader) in readers.enumerated() {
  let c = counts[k]
  print(
    "clv-fuzz: \(reader.name): \(c.inputs) inputs, \(c.accepted) accepted, \(c.rejected) "
      + "rejected with a located error")
}
print(
  "clv-fuzz: seed \(seed), \(Int(now() - started)) s, slowest input \(String(format: "%.3f", slowest)) s, "
    + "\(failures) failure(s)")
exit(failures == 0 ? 0 : 1)
