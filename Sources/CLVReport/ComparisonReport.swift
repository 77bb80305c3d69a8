import CLVEvaluation

/// The comparison of one or more evaluation runs: a headline summary, fit and holdout tables,
/// and charts, rendered as one self-contained HTML page or as Markdown with SVG files.
///
/// The report only presents what the run files contain; it computes no model quantities
/// except the 95% Wald intervals of the parameters (see ``interval95(_:standardError:positive:)``)
/// and differences between models.
public struct ComparisonReport: Sendable {
  /// A run and the name of the file it came from.
  public struct Input: Sendable {
    public var file: String
    public var run: RunFile
    public init(file: String, run: RunFile) {
      self.file = file
      self.run = run
    }
  }

  public let inputs: [Input]
  /// Campaign readouts shown in their own section (ComparisonReport+Campaign.swift).
  public var campaigns: [CampaignReportInput] = []
  /// An acquisition-cohort table shown in its own section (ComparisonReport+Cohorts.swift).
  public var cohorts: CohortReportInput? = nil

  /// - Precondition: at least one run.
  public init(_ inputs: [Input]) {
    precondition(!inputs.isEmpty, "a report needs at least one run")
    self.inputs = inputs
  }

  /// One model of one run, with its label and style in every chart.
  struct Entry {
    var runIndex: Int
    var result: RunFile.ModelResult
    var label: String
    var style: SeriesStyle
    var group: Int
    var color: Color { style.color }
    var dash: String? { style.dash }
  }

  /// Runs whose measures can be compared: the same data (file hash) and split (calibration
  /// end, observation end, unit). Holdout errors, AUC and cohort tables depend on the holdout
  /// length and the customers, so "best" is marked only within a group.
  struct DataGroup {
    var data: RunFile.DataInfo
    var runIndices: [Int]
    /// "group A", … when there is more than one group; empty otherwise.
    var label: String
  }

  var multipleRuns: Bool { inputs.count > 1 }

  /// The run's id as given to `clv evaluate --run`; a repeated id gets its position (`#2`).
  func runLabel(_ index: Int) -> String {
    let id = inputs[index].run.run
    let same = inputs.indices.filter { inputs[$0].run.run == id }
    guard same.count > 1, let position = same.firstIndex(of: index) else { return id }
    return "\(id) #\(position + 1)"
  }

  var groups: [DataGroup] {
    var groups: [DataGroup] = []
    for (index, input) in inputs.enumerated() {
      let data = input.run.data
      if let existing = groups.firstIndex(where: { Self.sameData($0.data, data) }) {
        groups[existing].runIndices.append(index)
      } else {
        groups.append(DataGroup(data: data, runIndices: [index], label: ""))
      }
    }
    let many = groups.count > 1
    return groups.enumerated().map { index, group in
      var group = group
      group.label = many ? "group \(Self.groupLetter(index))" : ""
      return group
    }
  }

  /// A, B, …, Z, AA, AB, …
  static func groupLetter(_ index: Int) -> String {
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return index < 26
      ? String(letters[index]) : groupLetter(index / 26 - 1) + String(letters[index % 26])
  }

  static func sameData(_ a: RunFile.DataInfo, _ b: RunFile.DataInfo) -> Bool {
    a.sha256 == b.sha256 && a.calibrationEnd == b.calibrationEnd
      && a.observationEnd == b.observationEnd && a.unit == b.unit
  }

  /// " — group A" for captions when runs fall into several groups; empty otherwise.
  func groupSuffix(_ groupIndex: Int) -> String {
    let label = groups[groupIndex].label
    return label.isEmpty ? "" : " — \(label)"
  }

  /// `entries` split by comparable group (groups without entries left out), each with the
  /// suffix of its figure names (`""` for a single group, else `"-1"`, `"-2"`, …) and of its
  /// titles and captions (``groupSuffix(_:)``).
  func byGroup(_ entries: [Entry]) -> [(members: [Entry], name: String, suffix: String)] {
    let count = groups.count
    return (0..<count).compactMap { index in
      let members = entries.filter { $0.group == index }
      guard !members.isEmpty else { return nil }
      return (members, count > 1 ? "-\(index + 1)" : "", groupSuffix(index))
    }
  }

  var entries: [Entry] {
    let groups = self.groups
    var result: [Entry] = []
    // A model keeps its colour in every run and a run its variant (dash, marker, hatching),
    // so that (run, model) pairs stay distinct; with more models or runs than that allows,
    // entries take the 24 styles in turn. Spend-only models (Gamma-Gamma) appear only in the
    // spend chart and count separately.
    let sharedKeys = Self.orderedKeys(inputs.flatMap(\.run.models).filter { !Self.spendOnly($0) })
    let spendKeys = Self.orderedKeys(inputs.flatMap(\.run.models).filter(Self.spendOnly))
    let byModel =
      sharedKeys.count <= Palette.series.count && spendKeys.count <= Palette.series.count
      && inputs.count <= SeriesStyle.variants
    var shared = 0
    var spend = 0
    for (runIndex, input) in inputs.enumerated() {
      let group = groups.firstIndex { $0.runIndices.contains(runIndex) } ?? 0
      for model in input.run.models {
        let isSpend = Self.spendOnly(model)
        let style: SeriesStyle
        if byModel {
          let slot = (isSpend ? spendKeys : sharedKeys).firstIndex(of: model.model) ?? 0
          style = SeriesStyle(color: Palette.color(slot), variant: runIndex)
        } else {
          style = SeriesStyle(index: isSpend ? spend : shared)
        }
        if isSpend { spend += 1 } else { shared += 1 }
        let name = Self.displayName(model)
        result.append(
          Entry(
            runIndex: runIndex, result: model,
            label: multipleRuns ? "\(name) (\(runLabel(runIndex)))" : name,
            style: style, group: group))
      }
    }
    return result
  }

  static func spendOnly(_ model: RunFile.ModelResult) -> Bool {
    model.holdout == nil && model.churn == nil && model.spend != nil
  }

  /// Model keys in order of first appearance.
  static func orderedKeys(_ models: [RunFile.ModelResult]) -> [String] {
    var keys: [String] = []
    for model in models where !keys.contains(model.model) { keys.append(model.model) }
    return keys
  }

  /// The display name of a model: its `name`, or the registry's name for its key, or the key.
  static func displayName(_ model: RunFile.ModelResult) -> String {
    if let name = model.name, !name.isEmpty { return name }
    return model.registeredName ?? model.model
  }

  /// Parameter names in display order: the file's own order, else the literature's letters
  /// (r, α, a, b, s, β, p, q, γ, δ), then the intercept, then the rest alphabetically.
  static func orderedParameters(_ model: RunFile.ModelResult) -> [String] {
    if let names = model.parameterNames, Set(names) == Set(model.parameters.keys) {
      return names
    }
    let canonical = [
      "r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma", "delta", "intercept",
    ]
    let known = canonical.filter { model.parameters[$0] != nil }
    let rest = model.parameters.keys.filter { !canonical.contains($0) }.sorted()
    return known + rest
  }

  /// The differences of a cumulative series: (x₁, y₁), (x₂, y₂ − y₁), …
  static func increments(_ points: [LineChart.Point]) -> [LineChart.Point] {
    var previous = 0.0
    return points.map { point in
      defer { previous = point.y }
      return LineChart.Point(point.x, point.y - previous)
    }
  }

  /// Bars of actual values: a dark neutral grey (Okabe–Ito black, lightened for large areas).
  static let actualBars = Color(0x4D, 0x4D, 0x4D)
  static let boughtColor = Color(0x00, 0x72, 0xB2)
  static let notBoughtColor = Color(0xE6, 0x9F, 0x00)
}

extension ComparisonReport {
  /// The 95% Wald interval of an estimate: on the log scale for a positive model parameter,
  /// exp(log θ ± 1.96·SE/θ) (delta method; it stays positive), else θ ± 1.96·SE (churn-logit
  /// coefficients). The same rule as `FitReport.confidenceIntervals(for:)` in CLVModels.
  /// - Source: [CB2002] section 10.1.
  static func interval95(
    _ value: Double, standardError se: Double, positive: Bool
  )
    -> (Double, Double)
  {
    let z = 1.959_963_984_540_054
    guard positive, value > 0 else { return (value - z * se, value + z * se) }
    let spread = Double.exp(z * se / value)
    return (value / spread, value * spread)
  }
}
