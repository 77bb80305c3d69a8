import CLVData
import CLVModels
import CLVNumerics
import Foundation
import TestSupport
import Testing

/// The covariance of the log-parameters recorded by every maximum-likelihood fit and in model
/// files, and the parameter draws taken from it (`clv score --intervals`).
@Suite struct ParameterDrawsConsistencyTests {
  let model: BGNBD

  init() throws {
    model = try BGNBD.fit(try ReferenceData.cdnowSummary())
  }

  @Test func covarianceMatchesTheStandardErrors() throws {
    let report = try #require(model.fitReport)
    let covariance = try #require(report.logParameterCovariance)
    let se = try #require(report.standardErrors)
    #expect(covariance.count == 4 && covariance.allSatisfy { $0.count == 4 })
    for i in 0..<4 {
      // Delta method: Var(log θᵢ) = SE(θᵢ)² / θᵢ².
      let theta = model.parameterValues[i]
      assertClose(
        covariance[i][i], se[i] * se[i] / (theta * theta), relative: 1e-12,
        source: "delta method, same inverse Hessian")
      for j in 0..<4 {
        assertClose(
          covariance[i][j], covariance[j][i], relative: 1e-12, source: "symmetry of H⁻¹")
      }
    }
  }

  @Test func modelFileRoundTripsTheCovariance() throws {
    let file = ModelFile(model: model, unit: .time(.week), data: nil, toolVersion: "test")
    let text = try file.jsonText()
    #expect(text.contains("\"logParameterCovariance\""))
    let read = try ModelFile.decode(Data(text.utf8), path: "bgnbd.json")
    let decoded = try #require(try read.makeModel(path: "bgnbd.json") as? BGNBD)
    let expected = try #require(model.fitReport?.logParameterCovariance)
    let actual = try #require(decoded.fitReport?.logParameterCovariance)
    for i in 0..<4 {
      for j in 0..<4 {
        // Written in shortest round-trip form: read back exactly.
        #expect(actual[i][j] == expected[i][j])
      }
    }
  }

  @Test func olderFileWithoutCovarianceReadsButCannotDraw() throws {
    var file = ModelFile(model: model, unit: .time(.week), data: nil, toolVersion: "test")
    file.logParameterCovariance = nil
    let text = try file.jsonText()
    #expect(!text.contains("logParameterCovariance"))
    let read = try ModelFile.decode(Data(text.utf8), path: "old.json")
    let decoded = try #require(try read.makeModel(path: "old.json") as? BGNBD)
    #expect(decoded.parameterValues == model.parameterValues)
    #expect(decoded.fitReport?.standardErrors != nil)
    #expect(decoded.fitReport?.logParameterCovariance == nil)
    #expect(throws: ModelError.self) {
      _ = try ParameterDraws(model: decoded, count: 10, seed: 1)
    }
  }

  @Test func drawsAreSeededAndCenteredOnTheEstimate() throws {
    let draws = try ParameterDraws(model: model, count: 4000, seed: 11)
    #expect(draws == (try ParameterDraws(model: model, count: 4000, seed: 11)))
    #expect(draws != (try ParameterDraws(model: model, count: 4000, seed: 12)))
    let covariance = try #require(model.fitReport?.logParameterCovariance)
    for i in 0..<4 {
      let logs = draws.values.map { Double.log($0[i]) }
      let mean = logs.reduce(0, +) / Double(logs.count)
      // 4σ band of the mean of 4000 draws of log θᵢ.
      let band = 4 * (covariance[i][i] / 4000).squareRoot()
      #expect(abs(mean - Double.log(model.parameterValues[i])) <= band, "parameter \(i)")
    }
    let models = try draws.models(like: model, as: (any TransactionModel).self)
    #expect(models.count == 4000)
    #expect(models[0].parameterValues == draws.values[0])
  }

  @Test func bootstrapWeightsResampleEveryRow() {
    let weights = ParameterDraws.bootstrapWeights(rows: 50, replicates: 20, seed: 3)
    #expect(weights.count == 20)
    #expect(weights.allSatisfy { $0.count == 50 && $0.reduce(0, +) == 50 })
    #expect(weights == ParameterDraws.bootstrapWeights(rows: 50, replicates: 20, seed: 3))
    #expect(weights[0] != weights[1])
  }
}
