import CLVData
import CLVModels

extension RunFile {
  /// A purchase model's predictions over a grid of calibration histories: frequency x by
  /// recency tₓ, all at the largest age T of the calibration customers (lifetimes'
  /// `plot_frequency_recency_matrix` and `plot_probability_alive_matrix`).
  public struct FrequencyRecencyMatrix: Codable, Sendable, Equatable {
    /// The age T of every cell (the largest T in the calibration data), in the model's unit.
    public var age: Double
    /// The horizon of ``expectedPurchases`` (1 unit, as lifetimes).
    public var horizon: Double
    /// Row values: repeat purchases x = 0, 1, …
    public var frequencies: [Int]
    /// Column values: recency tₓ, increasing from 0 to T.
    public var recencies: [Double]
    /// Conditional expected purchases in the next ``horizon``, one row per frequency and one
    /// column per recency; nil for a history that cannot occur (x = 0 with tₓ > 0, x > 0 with
    /// tₓ = 0, or more purchases than opportunities for a discrete-time model).
    public var expectedPurchases: [[Double?]]
    /// P(alive) at T for the same cells.
    public var probabilityAlive: [[Double?]]

    public init(
      age: Double, horizon: Double, frequencies: [Int], recencies: [Double],
      expectedPurchases: [[Double?]], probabilityAlive: [[Double?]]
    ) {
      self.age = age
      self.horizon = horizon
      self.frequencies = frequencies
      self.recencies = recencies
      self.expectedPurchases = expectedPurchases
      self.probabilityAlive = probabilityAlive
    }
  }

  /// Customers with a given number of repeat purchases in the calibration period: actual and
  /// model-expected ([FHL2005a] Fig. 1).
  public struct RepeatPurchaseRow: Codable, Sendable, Equatable {
    /// `"0"`, `"1"`, …, `"6"`, `"7+"`.
    public var frequency: String
    public var actual: Int
    public var expected: Double

    public init(frequency: String, actual: Int, expected: Double) {
      self.frequency = frequency
      self.actual = actual
      self.expected = expected
    }
  }
}

/// The calibration-period diagnostics of a purchase model that need the model itself: the
/// frequency–recency matrices and the repeat-purchase histogram.
public enum PurchaseDiagnostics {
  /// The largest frequency and the number of recency columns of the matrix.
  public static let maximumFrequency = 30
  public static let recencyColumns = 40

  /// The frequency–recency matrix of `model` for customers of age T = the largest age in
  /// `rows`: frequencies 0 … min(largest x, 30), recencies 0 … T in at most 41 steps (whole
  /// units when T ≤ 40). Cells for impossible histories are nil, as are non-finite values.
  ///
  /// - Source: [lifetimes] `plot_frequency_recency_matrix` (expected purchases in the next
  ///   unit) and `plot_probability_alive_matrix`, at T = the largest age.
  /// - Parameter discrete: the model counts opportunities (BG/BB: x ≤ tₓ, whole periods).
  public static func frequencyRecency(
    _ model: any TransactionModel, rows: [RFMSummary.Row], discrete: Bool
  ) -> RunFile.FrequencyRecencyMatrix? {
    frequencyRecency([(1, model)], rows: rows, discrete: discrete)
  }

  /// The grid of a model with covariates: each cell the average of the prediction over the
  /// customers' covariate groups, Σ_g n_g v_g(x, tₓ, T) / Σ_g n_g with n_g the customers of
  /// group g and v_g the prediction at θ(z_g) — what a customer with that history is
  /// expected to do, averaged over the attributes of the customers. With one group of weight 1
  /// this is the model's own grid.
  public static func frequencyRecency(
    _ models: [(weight: Double, model: any TransactionModel)], rows: [RFMSummary.Row],
    discrete: Bool
  ) -> RunFile.FrequencyRecencyMatrix? {
    let totalWeight = models.reduce(0) { $0 + $1.weight }
    guard let age = rows.map(\.age).max(), age > 0, age.isFinite else { return nil }
    let largest = rows.map(\.frequency).max() ?? 0
    let frequencies = Array(0...min(largest, maximumFrequency))
    let step = max(1, (age / Double(recencyColumns)).rounded(.up))
    var recencies = Array(stride(from: 0, to: age, by: step))
    recencies.append(age)
    var expected: [[Double?]] = []
    var alive: [[Double?]] = []
    for x in frequencies {
      var expectedRow: [Double?] = []
      var aliveRow: [Double?] = []
      for tx in recencies {
        let possible =
          x == 0 ? tx == 0 : tx > 0 && (!discrete || Double(x) <= tx.rounded(.down))
        guard possible else {
          expectedRow.append(nil)
          aliveRow.append(nil)
          continue
        }
        let row = RFMSummary.Row(customerID: "", frequency: x, recency: tx, age: age)
        var e = 0.0
        var p = 0.0
        for (weight, model) in models {
          e += weight * model.expectedPurchases(in: 1, for: row)
          p += weight * min(max(model.probabilityAlive(for: row), 0), 1)
        }
        e /= totalWeight
        p /= totalWeight
        expectedRow.append(e.isFinite ? e : nil)
        aliveRow.append(p.isFinite ? min(max(p, 0), 1) : nil)
      }
      expected.append(expectedRow)
      alive.append(aliveRow)
    }
    return RunFile.FrequencyRecencyMatrix(
      age: age, horizon: 1, frequencies: frequencies, recencies: recencies,
      expectedPurchases: expected, probabilityAlive: alive)
  }

  /// Customers by repeat purchases in the calibration period, 0 … 6 and 7+, actual and
  /// expected:
  ///
  ///     expected(x) = Σᵢ P(X(Tᵢ) = x)         x = 0 … 6
  ///     expected(7+) = n − Σₓ₌₀⁶ expected(x)
  ///
  /// with P(X(t) = x) the model's probability of x repeat purchases in t units after the first
  /// purchase and Tᵢ each customer's age (one evaluation per distinct T).
  ///
  /// - Source: [FHL2005a] Fig. 1 (predicted versus actual frequency of repeat transactions);
  ///   [lifetimes] `plot_period_transactions`.
  /// - Returns: nil when a probability is not finite.
  public static func repeatPurchases(
    _ model: any TransactionModel, rows: [RFMSummary.Row]
  ) -> [RunFile.RepeatPurchaseRow]? {
    repeatPurchases([model], groups: nil, rows: rows)
  }

  /// The distribution of customers in groups with models of their own (a model with
  /// covariates: each customer's P(X(Tᵢ) = x) at θ(zᵢ)), expected(x) = Σᵢ P_{g(i)}(X(Tᵢ) = x).
  ///
  /// - Parameter groups: each row's index into `models` (nil: all 0).
  public static func repeatPurchases(
    _ models: [any TransactionModel], groups: [Int]?, rows: [RFMSummary.Row]
  ) -> [RunFile.RepeatPurchaseRow]? {
    let top = 7
    var actual = [Int](repeating: 0, count: top + 1)
    var ages = [[Double: Int]](repeating: [:], count: models.count)
    for (i, row) in rows.enumerated() {
      actual[min(row.frequency, top)] += 1
      ages[groups?[i] ?? 0][row.age, default: 0] += 1
    }
    var expected = [Double](repeating: 0, count: top)
    // In increasing age, so that the sums (and the run file's bytes) do not depend on the
    // dictionary's order.
    for (g, model) in models.enumerated() {
      for (age, customers) in ages[g].sorted(by: { $0.key < $1.key }) {
        for x in 0..<top {
          let p = model.probabilityOfPurchases(x, in: age)
          guard p.isFinite else { return nil }
          expected[x] += Double(customers) * min(max(p, 0), 1)
        }
      }
    }
    let rest = max(Double(rows.count) - expected.reduce(0, +), 0)
    return (0...top).map { x in
      RunFile.RepeatPurchaseRow(
        frequency: x == top ? "\(top)+" : String(x), actual: actual[x],
        expected: x == top ? rest : expected[x])
    }
  }
}
