import CLVData
import Foundation

/// Where a running fit stands (``FitOptions/progress``).
public struct FitProgress: Sendable {
  public var model: String
  /// Wall-clock seconds since the fit started.
  public var seconds: Double
  /// Likelihood evaluations so far.
  public var evaluations: Int
  /// The best log-likelihood so far (less N times the penalty when there is a penalizer), with
  /// its parameters (names and values); nil before the first finite one.
  public var bestLogLikelihood: Double?
  public var parameters: [(name: String, value: Double)]

  /// One line: `Pareto/NBD: fitting for 4 s, 212 likelihood evaluations, best log-likelihood
  /// -1234.5 at r = 1.2, alpha = 3.4, …`.
  public var description: String {
    var text = "\(model): fitting for \(Int(seconds.rounded())) s, \(evaluations) likelihood "
    text += "evaluations"
    if let bestLogLikelihood {
      text += ", best log-likelihood \(NumberText.significant(bestLogLikelihood)) at "
      text += parameters.map { "\($0.name) = \(NumberText.significant($0.value))" }.joined(
        separator: ", ")
    }
    return text
  }
}

/// Counts a fit's likelihood evaluations against its budget (``FitOptions/timeLimit``,
/// ``FitOptions/maxEvaluations``), remembers the best point and reports progress.
final class FitMonitor {
  let model: String
  let names: [String]
  let timeLimit: Double?
  let maxEvaluations: Int
  let progress: (@Sendable (FitProgress) -> Void)?
  let customers: Double
  let clock = ContinuousClock()
  let started: ContinuousClock.Instant
  private(set) var evaluations = 0
  private(set) var exhausted = false
  private(set) var best: (objective: Double, phi: [Double])?
  private var nextProgress = 2.0

  /// Per parameter, whether φ is its log (false: a real coefficient, φ = θ).
  var positive: [Bool]? = nil

  init(model: String, names: [String], customers: Double, options: FitOptions) {
    self.model = model
    self.customers = customers
    self.names = names
    self.timeLimit = options.timeLimit
    self.maxEvaluations = options.maxEvaluations
    self.progress = options.progress
    self.started = clock.now
  }

  var seconds: Double {
    let elapsed = clock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// Records one evaluation of the objective at φ; marks the budget exhausted when it is.
  func record(_ phi: [Double], objective: Double) {
    evaluations += 1
    if objective.isFinite, best == nil || objective < best!.objective {
      best = (objective, phi)
    }
    if evaluations >= maxEvaluations { exhausted = true }
    let elapsed = seconds
    if let timeLimit, elapsed >= timeLimit { exhausted = true }
    if let progress, elapsed >= nextProgress {
      nextProgress = elapsed + 5
      progress(state(elapsed))
    }
  }

  /// The best point so far as a progress value.
  func state(_ elapsed: Double) -> FitProgress {
    FitProgress(
      model: model, seconds: elapsed, evaluations: evaluations,
      bestLogLikelihood: best.map { -$0.objective * customers },
      parameters: best.map { best in
        names.indices.map { i in
          (names[i], positive?[i] == false ? best.phi[i] : Double.exp(best.phi[i]))
        }
      } ?? [])
  }
}
