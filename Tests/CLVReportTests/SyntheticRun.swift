import CLVEvaluation
import CLVModels
import Foundation
import TestSupport

/// A realistic run file built in code: CDNOW-sized (2,357 customers, weeks, a 39-week
/// calibration and a 39-week holdout) with BG/NBD, Pareto/NBD, churn-logit and Gamma-Gamma.
///
/// The numbers are synthetic (shaped like the published CDNOW results of [FHL2005a] but not
/// taken from any fit); the report is only required to present them, so they need to be
/// plausible, internally consistent (totals add up, rates in [0, 1]) and deterministic.
enum SyntheticRun {
  static func make(run: String = "cdnow-sample", seed: UInt64 = 1, skew: Double = 0) -> RunFile {
    var random = SeededGenerator(seed: seed)
    func noise(_ scale: Double) -> Double {
      (Double(random.next() >> 11) / Double(1 << 53) - 0.5) * 2 * scale
    }
    let customers = 2357
    let weeks = 78
    let calibrationEnd = 39.0

    // Weekly repeat purchases: ramp-up while the cohort is acquired (12 weeks), then slow decay.
    let weekly = (1...weeks).map { week -> Double in
      let t = Double(week)
      return t <= 12 ? 9.5 * t : 114 * exp(-(t - 12) / 140)
    }
    func cumulative(_ values: [Double]) -> [Double] {
      var total = 0.0
      return values.map {
        total += $0; return total
      }
    }
    // The actual purchases are the data: the same in every run (fixed seed), whatever `seed`.
    var dataRandom = SeededGenerator(seed: 1)
    let actualWeekly = weekly.map { value -> Double in
      let u = Double(dataRandom.next() >> 11) / Double(1 << 53)
      return max(value * (1 + (u - 0.5) * 0.36), 0).rounded()
    }
    let actual = cumulative(actualWeekly)

    func purchaseModel(
      id: String, name: String, parameters: [(String, Double, Double)], logLikelihood: Double,
      drift: Double, maeScale: Double
    ) -> RunFile.ModelResult {
      let expected = cumulative(
        weekly.enumerated().map { index, value in
          value * (1 + drift * max(Double(index + 1) - calibrationEnd, 0) / 39)
        })
      let holdoutActual = actual[weeks - 1] - actual[Int(calibrationEnd) - 1]
      let holdoutPredicted = expected[weeks - 1] - expected[Int(calibrationEnd) - 1]
      let frequencies = ["0", "1", "2", "3", "4", "5", "6", "7+"]
      let counts = [1411, 439, 214, 100, 62, 38, 29, 64]
      let actualMeans = [0.24, 0.70, 1.39, 1.56, 2.53, 2.95, 3.86, 6.36]
      let conditional = frequencies.indices.map { index in
        RunFile.ConditionalExpectationRow(
          frequency: frequencies[index], customers: counts[index],
          predicted: actualMeans[index] * (1 + drift * 0.6 + noise(0.08)),
          actual: actualMeans[index])
      }
      let cohorts = ["1997-01", "1997-02", "1997-03"].enumerated().map { index, cohort in
        let share = [0.33, 0.36, 0.31][index]
        return RunFile.CohortRow(
          cohort: cohort, customers: Int(Double(customers) * share),
          mae: 0.62 * maeScale * (1 + noise(0.1)), rmse: 1.35 * maeScale * (1 + noise(0.1)),
          predictedTotal: holdoutPredicted * share * (1 + noise(0.05)),
          actualTotal: (holdoutActual * share).rounded())
      }
      let k = Double(parameters.count)
      let mae = 0.62 * maeScale
      return RunFile.ModelResult(
        schema: "clvkit-model/1", model: id, name: name,
        parameters: Dictionary(uniqueKeysWithValues: parameters.map { ($0.0, $0.1) }),
        parameterNames: parameters.map(\.0),
        standardErrors: Dictionary(uniqueKeysWithValues: parameters.map { ($0.0, $0.2) }),
        logLikelihood: logLikelihood, customers: customers, unit: .time(.week),
        fit: FitReport.Optimizer(
          iterations: 31, functionEvaluations: 40, converged: true, degenerate: false,
          seconds: 0.04, gradientNorm: 2e-7, distinctRows: 1141, penalizer: 0,
          reason: "gradientTolerance", dropped: 0),
        data: ModelFile.DataSource(
          file: "cdnow_master.csv", calibrationEnd: "1997-09-30", firstDate: "1997-01-01"),
        createdAt: "2026-11-22T20:00:00Z", tool: RunFile.Tool(name: "clv", version: "0.1.0"),
        holdout: RunFile.Holdout(
          mae: mae, rmse: 1.37 * maeScale, predictedTotal: holdoutPredicted,
          actualTotal: holdoutActual, bias: (holdoutPredicted - holdoutActual) / Double(customers),
          customers: customers, conditionalExpectation: conditional,
          tracking: RunFile.Tracking(
            calibrationEnd: calibrationEnd,
            points: (0..<weeks).map {
              RunFile.TrackingPoint(
                period: Double($0 + 1), actualCumulative: actual[$0],
                expectedCumulative: expected[$0])
            }),
          cohorts: cohorts, aic: 2 * k - 2 * logLikelihood,
          bic: k * log(Double(customers)) - 2 * logLikelihood),
        churn: churn(auc: 0.76 + skew, validation: .holdout, score: "1 - P(alive)"),
        pAliveHistogram: pAlive(shift: drift))
    }

    func churn(auc: Double, validation: RunFile.Validation, score: String) -> RunFile.Churn {
      // ROC curve tpr = fpr^θ has AUC = 1 / (1 + θ).
      let theta = 1 / auc - 1
      let roc = (0...50).map { i -> RunFile.ROCPoint in
        let fpr = Double(i) / 50
        return RunFile.ROCPoint(fpr: fpr, tpr: pow(fpr, theta))
      }
      let churnRate = 0.69
      // Decile d covers fpr-quantiles; its churn rate follows the ROC slope.
      let lift = (1...10).map { decile -> RunFile.LiftRow in
        let rate = churnRate * (1 + (0.38 - 0.085 * Double(decile - 1)) * (auc / 0.76))
        return RunFile.LiftRow(
          decile: decile, customers: decile <= 7 ? 236 : 235, churnRate: rate,
          lift: rate / churnRate)
      }
      let calibration = (0..<10).map { bin -> RunFile.CalibrationBin in
        let lower = Double(bin) / 10
        let predicted = lower + 0.05
        return RunFile.CalibrationBin(
          lower: lower, upper: lower + 0.1,
          customers: [
            40, 55, 61, 80, 95, 120, 180, 260,
            540, 926,
          ][bin],
          predicted: predicted, actual: min(max(predicted + 0.06 * sin(Double(bin)), 0), 1))
      }
      return RunFile.Churn(
        auc: auc, logLoss: 0.52 + (0.76 - auc), brier: 0.17 + (0.76 - auc) / 4,
        customers: customers, churnRate: churnRate, score: score, roc: roc, lift: lift,
        calibration: calibration, validation: validation)
    }

    func pAlive(shift: Double) -> [RunFile.HistogramBin] {
      let counts = [210, 120, 95, 90, 100, 120, 150, 210, 350, 912]
      let buyingShare = [0.05, 0.08, 0.12, 0.18, 0.22, 0.27, 0.33, 0.41, 0.48, 0.35]
      return (0..<10).map { bin in
        let n = counts[bin] + Int(shift * 100) * (bin < 5 ? 1 : -1)
        return RunFile.HistogramBin(
          lower: Double(bin) / 10, upper: Double(bin + 1) / 10, customers: n,
          holdoutPurchasers: Int((Double(n) * buyingShare[bin]).rounded()))
      }
    }

    let bgnbd = purchaseModel(
      id: "bgnbd", name: "BG/NBD",
      parameters: [
        ("r", 0.243, 0.013), ("alpha", 4.414, 0.3), ("a", 0.793, 0.186),
        ("b", 2.426, 0.7),
      ],
      logLikelihood: -9582.4, drift: -0.03 - skew, maeScale: 1 + 2 * skew)
    let pnbd = purchaseModel(
      id: "pnbd", name: "Pareto/NBD",
      parameters: [
        ("r", 0.553, 0.05), ("alpha", 10.578, 0.85), ("s", 0.606, 0.19),
        ("beta", 11.669, 6.4),
      ],
      logLikelihood: -9595.0, drift: 0.04 + skew, maeScale: 1.03 - skew)
    var logit = RunFile.ModelResult(
      model: "churn-logit", name: "Churn logit",
      parameters: ["intercept": 1.21, "frequency": -0.42, "recency": -0.051, "T": 0.012],
      parameterNames: ["intercept", "frequency", "recency", "T"],
      standardErrors: ["intercept": 0.11, "frequency": 0.04, "recency": 0.006, "T": 0.004],
      logLikelihood: -1290.6, customers: customers, unit: .time(.week),
      fit: FitReport.Optimizer(iterations: 9, converged: true),
      extra: .object([
        ("features", .array(["frequency", "recency", "T"].map { .string($0) })),
        ("l2", .number(0)),
      ]))
    logit.churn = churn(auc: 0.792 + skew, validation: .shiftedWindow, score: "P(churn)")
    let spendBins = ["Q1", "Q2", "Q3", "Q4", "Q5"].enumerated().map { index, label in
      let predicted = [18.2, 26.4, 33.1, 42.7, 71.5][index]
      return RunFile.SpendBin(
        label: label, customers: [86, 85, 85, 85, 85][index], predictedMean: predicted,
        actualMean: predicted * (1 + [0.12, 0.03, -0.02, -0.05, -0.11][index]))
    }
    let gammaGamma = RunFile.ModelResult(
      model: "gamma-gamma", name: "Gamma-Gamma",
      parameters: ["p": 6.25, "q": 3.74, "gamma": 15.44],
      parameterNames: ["p", "q", "gamma"],
      standardErrors: ["p": 0.42, "q": 0.2, "gamma": 1.6],
      logLikelihood: -4055.92, customers: 946, unit: .time(.week),
      spend: RunFile.Spend(
        predictedMean: 38.4, actualMean: 36.9, customers: 426, mae: 11.8, bins: spendBins))

    let models = [bgnbd, pnbd, logit, gammaGamma]
    return RunFile(
      run: run, createdAt: "2026-11-22T20:00:00Z",
      tool: RunFile.Tool(name: "clv", version: "0.1.0"),
      data: RunFile.DataInfo(
        file: "cdnow_master.csv",
        sha256: "5f0c2a7e9d41b3c6a8e2f1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0",
        firstPurchase: "1997-01-01", calibrationEnd: "1997-09-30", observationEnd: "1998-06-30",
        unit: .time(.week), holdoutLength: 39, customers: customers, repeatCustomers: 946,
        holdoutPurchasers: 727, orders: 6919),
      models: models,
      ranking: RunFile.Ranking(
        byMAE: [bgnbd, pnbd].map { RunFile.RankEntry(model: $0.model, value: $0.holdout!.mae) }
          .sorted { $0.value < $1.value },
        byAUC: [bgnbd, pnbd, logit].map {
          RunFile.RankEntry(model: $0.model, value: $0.churn!.auc)
        }.sorted { $0.value > $1.value }))
  }
}
