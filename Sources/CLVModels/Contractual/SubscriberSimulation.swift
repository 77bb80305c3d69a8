import CLVData
import CLVNumerics

/// Subscriber data drawn from the BdW's generative process (the sBG with c = 1), seeded: for
/// the benchmark and for parameter-recovery tests.
public enum SubscriberSimulation {
  /// `count` subscribers who start uniformly in periods 0 ..< `starts`, observed to period
  /// `asOf` (≥ `starts` − 1): θ ~ beta(γ, δ), then the lifetime T = max(1, ⌈x^(1/c)⌉) with
  /// x = log U / log(1 − θ), U uniform on (0, 1) — the inverse of the discrete-Weibull survivor
  /// function S(t | θ, c) = (1 − θ)^(t^c) ([FHLDS2018]); the end period start + T is written
  /// only when it is ≤ `asOf` (otherwise the subscriber is still active).
  public static func subscribers(
    count: Int, gamma: Double, delta: Double, c: Double = 1, starts: Int, asOf: Int,
    seed: UInt64
  ) -> SubscriberData {
    precondition(starts >= 1 && asOf >= starts - 1, "starts within the observation")
    var generator = SeededGenerator(seed: seed)
    var subscribers: [SubscriberData.Subscriber] = []
    subscribers.reserveCapacity(count)
    for index in 0..<count {
      let start = Int.random(in: 0..<starts, using: &generator)
      let theta = Swift.min(Swift.max(generator.beta(gamma, delta), 1e-300), 1 - 1e-16)
      let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
      let x = Double.log(u) / Double.log(onePlus: -theta)
      let root = Double.pow(x, 1 / c)
      let lifetime = root < 1e9 ? Swift.max(1, Int(root.rounded(.up))) : 1_000_000_000
      let end = start + lifetime <= asOf ? start + lifetime : nil
      subscribers.append(
        SubscriberData.Subscriber(customerID: "s\(index + 1)", start: start, end: end))
    }
    return SubscriberData(file: "simulated", subscribers: subscribers)
  }
}
