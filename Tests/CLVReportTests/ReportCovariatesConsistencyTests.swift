import CLVEvaluation
import CLVModels
import Foundation
import TestSupport
import Testing

@testable import CLVReport

/// The report's "Covariates" section presents a run file's covariate results: the coefficient
/// table, the likelihood-ratio test against the nested model and the holdout error with and
/// without covariates; absent when no model has covariates (older run files included).
@Suite struct ReportCovariatesConsistencyTests {
  /// The synthetic run with BG/NBD fitted with a channel attribute: two purchase coefficients
  /// (one significant), an LR test on 2 df and a nested holdout RMSE above the model's.
  static func run() -> RunFile {
    var run = SyntheticRun.make(run: "with-covariates")
    let index = run.models.firstIndex { $0.model == "bgnbd" }!
    var bgnbd = run.models[index]
    let coefficients = [
      RunFile.CovariateCoefficient(
        name: "purchase.channel=web", estimate: 0.31, standardError: 0.05, z: 6.2,
        pValue: 5.6e-10),
      RunFile.CovariateCoefficient(
        name: "dropout_a.channel=web", estimate: -0.12, standardError: 0.2, z: -0.6,
        pValue: 0.5485),
    ]
    for c in coefficients {
      bgnbd.parameters[c.name] = c.estimate
      bgnbd.standardErrors?[c.name] = c.standardError
      bgnbd.parameterNames?.append(c.name)
    }
    let ll0 = bgnbd.logLikelihood! - 19.5
    bgnbd.covariates = RunFile.Covariates(
      attributes: "crm/attributes.csv", coefficients: coefficients, covariateL2: 0,
      logLikelihood: bgnbd.logLikelihood, nestedLogLikelihood: ll0,
      likelihoodRatioTest: LikelihoodRatioTest(
        logLikelihood: bgnbd.logLikelihood!, nestedLogLikelihood: ll0, degreesOfFreedom: 2),
      nestedHoldout: RunFile.NestedHoldout(
        mae: bgnbd.holdout!.mae + 0.02, rmse: bgnbd.holdout!.rmse + 0.05,
        predictedTotal: bgnbd.holdout!.predictedTotal))
    run.models[index] = bgnbd
    return run
  }

  @Test func sectionShowsCoefficientsTestAndHoldoutComparison() throws {
    let run = Self.run()
    let rmse = run.models[0].holdout!.rmse
    let (markdown, files) = ComparisonReport([.init(file: "run.json", run: run)])
      .markdown(chartPrefix: "c")
    #expect(markdown.contains("## Covariates"))
    // LR = 2 · 19.5 = 39 on 2 df: p = exp(−39/2) ≈ 3.4e-9.
    let test = try #require(run.models[0].covariates?.likelihoodRatioTest)
    assertClose(test.statistic, 39, relative: 1e-12, source: "2 (log L − log L₀)")
    assertClose(
      test.pValue, exp(-19.5), relative: 1e-9, source: "χ²₂ survival = exp(−x/2) ([AS1964] 26.4.21)"
    )
    #expect(
      markdown.contains(
        "BG/NBD, attributes attributes.csv: the covariates improve the calibration fit "
          + "(LR = 39.00, 2 df, p \\< 0.0001); they lower the holdout RMSE from "
          + "\(NumberFormat.fixed(rmse + 0.05, fractionDigits: 4)) to "
          + "\(NumberFormat.fixed(rmse, fractionDigits: 4))"),
      "\(markdown)")
    #expect(markdown.contains("| BG/NBD | purchase.channel=web | 0.31 | 0.05 | 0.212 to 0.408 |"))
    #expect(markdown.contains("| dropout\\_a.channel=web | −0.12 | 0.2 | −0.512 to 0.272 |"))
    #expect(
      markdown.contains(
        "| 39.00 | 2 | **\\< 0.0001** | \(NumberFormat.fixed(rmse, fractionDigits: 4)) | "
          + "\(NumberFormat.fixed(rmse + 0.05, fractionDigits: 4)) | **−0.0500** |"),
      "\(markdown)")
    #expect(files.contains { $0.name.contains("covariates") }, "\(files.map(\.name))")
    // The parameter table gives the coefficients θ ± 1.96·SE, not log-scale intervals.
    #expect(markdown.contains("| purchase.channel=web | 0.31 | 0.05 | 0.212 to 0.408 |"))
    let html = ComparisonReport([.init(file: "run.json", run: run)]).html()
    #expect(html.contains("id=\"covariates\""))
  }

  @Test func noSectionWithoutCovariatesAndOldRunFilesReadAsBefore() throws {
    let (markdown, _) = ComparisonReport([
      .init(file: "run.json", run: SyntheticRun.make(run: "plain"))
    ]).markdown(chartPrefix: "c")
    #expect(!markdown.contains("## Covariates"))
    // A run file written before the field existed decodes, without covariates.
    let path = Fixtures.repositoryRoot
      .appendingPathComponent("Tests/CLVReportTests/Fixtures/example-run.json")
    let old = try RunFile.decode(Data(contentsOf: path), file: "example-run.json")
    #expect(old.models.allSatisfy { $0.covariates == nil })
    // And a file with the field round-trips.
    let run = Self.run()
    let again = try RunFile.decode(Data(try run.encoded().utf8), file: "run.json")
    #expect(again.models == run.models)
  }
}

/// A run file's `covariates` object is checked on reading: a p-value outside [0, 1] or a
/// negative likelihood-ratio statistic is an error naming the file and the model.
@Suite struct RunFileCovariatesInputTests {
  @Test func badCovariateValuesAreRejected() throws {
    var badP = ReportCovariatesConsistencyTests.run()
    badP.models[0].covariates?.coefficients[0].pValue = 1.5
    var badLR = ReportCovariatesConsistencyTests.run()
    badLR.models[0].covariates?.likelihoodRatioTest?.statistic = -2
    for run in [badP, badLR] {
      #expect {
        try RunFile.decode(Data(try run.encoded().utf8), file: "bad.json")
      } throws: { error in
        "\(error)".contains("bad.json")
          && "\(error)".contains("models[0] (bgnbd): covariates has a p-value outside [0, 1]")
      }
    }
  }
}
