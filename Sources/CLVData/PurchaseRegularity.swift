/// The Wheat–Morrison estimate of purchase regularity from each customer's last two
/// inter-purchase times.
///
/// For a customer with at least three purchase days, with the last two gaps τ₁, τ₂ (in days),
/// M = τ₁/(τ₁ + τ₂). If gaps are Erlang-k with a common rate, M ~ beta(k, k), whose variance is
/// 1/(4(2k+1)); Poisson purchasing (k = 1) makes M uniform. Solving for k with the customers'
/// mean squared deviation from ½,
///
///     V = (1/n) Σ (Mᵢ − ½)²,   k̂ = (1 − 4V) / (8V)
///
/// k̂ ≈ 1 says the purchase timing is memoryless (BG/NBD, Pareto/NBD fit), k̂ of 2 or more says
/// customers buy at regular intervals ((M)BG/CNBD-k). V is the variance of M symmetrized about
/// ½ (each customer's M and 1 − M equally likely): BTYDplus draws one of the two gaps at random
/// for the numerator, whose expected variance this is, without the randomness.
///
/// - Source: [WM1990] Wheat & Morrison (1990), "Estimating purchase regularity with two
///   interpurchase times", J. Marketing Research 27(1); BTYDplus `estimateRegularity(method =
///   "wheat")` (customers with more than two purchase days, the last two gaps).
public struct PurchaseRegularity: Sendable, Equatable, Codable {
  /// Customers with at least three purchase days (two gaps).
  public var customers: Int
  /// V = mean of (M − ½)².
  public var meanSquaredDeviation: Double
  /// k̂ = (1 − 4V)/(8V); nil when V = 0 (every customer's last two gaps equal).
  public var regularity: Double?

  /// The statistic from each customer's last two gaps (previous, last) in days, both > 0.
  /// nil when no customer has two gaps.
  public init?(lastTwoGaps: [(previous: Int32, last: Int32)]) {
    var sum = 0.0
    var n = 0
    for gaps in lastTwoGaps where gaps.previous > 0 && gaps.last > 0 {
      let m = Double(gaps.previous) / (Double(gaps.previous) + Double(gaps.last))
      sum += (m - 0.5) * (m - 0.5)
      n += 1
    }
    guard n > 0 else { return nil }
    let v = sum / Double(n)
    customers = n
    meanSquaredDeviation = v
    regularity = v > 0 ? (1 - 4 * v) / (8 * v) : nil
  }

  public init(customers: Int, meanSquaredDeviation: Double) {
    self.customers = customers
    self.meanSquaredDeviation = meanSquaredDeviation
    let v = meanSquaredDeviation
    regularity = v > 0 ? (1 - 4 * v) / (8 * v) : nil
  }

  /// One line for standard error, e.g. "Wheat–Morrison regularity k̂ = 1.02 (1234 customers
  /// with 3+ purchase days; ≈ 1: memoryless timing, ≥ 2: regular)".
  public var summaryLine: String {
    let value =
      regularity.map { ($0 * 100).rounded() / 100 }.map { "\($0)" } ?? "∞ (all last two gaps equal)"
    return "Wheat–Morrison regularity k̂ = \(value) (\(customers) customers with 3+ purchase "
      + "days; ≈ 1: memoryless timing as BG/NBD assumes, ≥ 2: regular buying, the CNBD-k models)"
  }
}
