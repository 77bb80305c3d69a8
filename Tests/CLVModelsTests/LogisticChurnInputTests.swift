import CLVData
import CLVModels
import CLVNumerics
import TestSupport
import Testing

/// Errors of the churn fit and of its features: each message names the feature, or the file,
/// line and column.
@Suite struct LogisticChurnInputTests {
  /// Standard normal draws (Box–Muller) from a seeded generator.
  static func normals(_ count: Int, seed: UInt64) -> [Double] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
      let v = Double.random(in: 0..<1, using: &generator)
      return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * Double.pi * v)
    }
  }

  static func message(of body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func completeSeparationBySingleFeatureNamesIt() throws {
    let noise = Self.normals(200, seed: 1)
    let x = Matrix((0..<200).map { [noise[$0], Double($0)] })
    let churned = (0..<200).map { $0 >= 120 }
    let message = Self.message {
      _ = try LogisticChurn.fit(features: x, churned: churned, featureNames: ["noise", "gap"])
    }
    #expect(message?.contains("feature 'gap' completely separates") == true, "\(message ?? "")")
    #expect(message?.contains("--l2") == true)
  }

  @Test func quasiCompleteSeparationBySingleFeatureNamesIt() throws {
    // x ∈ {0, 1, 2}: x = 0 never churns, x = 2 always, x = 1 both: overlap at one point only.
    let noise = Self.normals(300, seed: 2)
    let level = (0..<300).map { Double($0 % 3) }
    let churned = (0..<300).map { level[$0] == 2 || (level[$0] == 1 && $0 % 2 == 0) }
    let x = Matrix((0..<300).map { [noise[$0], level[$0]] })
    let message = Self.message {
      _ = try LogisticChurn.fit(features: x, churned: churned, featureNames: ["noise", "tier"])
    }
    #expect(
      message?.contains("feature 'tier' quasi-completely separates") == true, "\(message ?? "")")
  }

  @Test func separationByACombinationOfFeaturesIsDetected() throws {
    // churn ⇔ x1 + x2 > 0: neither feature separates alone, together they do.
    let a = Self.normals(400, seed: 3)
    let b = Self.normals(400, seed: 4)
    let x = Matrix((0..<400).map { [a[$0], b[$0]] })
    let churned = (0..<400).map { a[$0] + b[$0] > 0 }
    let message = Self.message {
      _ = try LogisticChurn.fit(features: x, churned: churned, featureNames: ["x1", "x2"])
    }
    #expect(message?.contains("separation") == true, "\(message ?? "")")
    #expect(
      message?.contains("'x1'") == true || message?.contains("'x2'") == true, "\(message ?? "")")
  }

  @Test func separatedDataFitWithAPenalty() throws {
    let a = Self.normals(400, seed: 3)
    let b = Self.normals(400, seed: 4)
    let x = Matrix((0..<400).map { [a[$0], b[$0]] })
    let churned = (0..<400).map { a[$0] + b[$0] > 0 }
    let model = try LogisticChurn.fit(
      features: x, churned: churned, featureNames: ["x1", "x2"], options: .init(l2: 1))
    #expect(model.fitReport?.converged == true)
    #expect(model.coefficients.allSatisfy { $0 > 0 && $0.isFinite })
  }

  @Test func collinearFeatureIsNamedWithItsPartners() throws {
    let data = try CDNOWChurn.load()
    let specification = ChurnFeatureSpecification(features: ["frequency", "recency", "T", "gap"])
    let x = try specification.design(for: Array(data.rows.prefix(2000)))
    let message = Self.message {
      _ = try LogisticChurn.fit(
        features: x, churned: Array(data.churned.prefix(2000)),
        featureNames: specification.featureNames)
    }
    #expect(
      message?.contains("feature 'gap' is collinear with 'recency', 'T'") == true,
      "\(message ?? "")")
  }

  @Test func constantFeatureIsNamed() throws {
    let noise = Self.normals(50, seed: 5)
    let x = Matrix((0..<50).map { [noise[$0], 3.0] })
    let churned = (0..<50).map { $0 % 3 == 0 }
    let message = Self.message {
      _ = try LogisticChurn.fit(features: x, churned: churned, featureNames: ["noise", "flat"])
    }
    #expect(message?.contains("feature 'flat' is constant") == true, "\(message ?? "")")
  }

  @Test func oneClassLabelIsRejected() throws {
    let x = Matrix((0..<10).map { [Double($0)] })
    let message = Self.message {
      _ = try LogisticChurn.fit(
        features: x, churned: Array(repeating: false, count: 10), featureNames: ["a"])
    }
    #expect(message?.contains("no customer churned") == true, "\(message ?? "")")
  }

  @Test func unknownFeatureIsRejected() throws {
    let message = Self.message {
      try ChurnFeatureSpecification.validate(features: ["frequency", "loyalty"])
    }
    #expect(message?.contains("unknown feature 'loyalty'") == true, "\(message ?? "")")
  }

  @Test func btydFeaturesNeedAModel() throws {
    let rows = [RFMSummary.Row(customerID: "1", frequency: 1, recency: 2, age: 3)]
    let message = Self.message {
      _ = try ChurnFeatureSpecification(features: ["frequency", "p_alive"]).design(for: rows)
    }
    #expect(message?.contains("--with-model") == true, "\(message ?? "")")
  }

  // MARK: Attributes

  static let rows = (1...4).map {
    RFMSummary.Row(customerID: "\($0)", frequency: $0, recency: Double($0), age: 10)
  }

  @Test func missingAttributeValueNamesFileLineAndColumn() throws {
    let attributes = try CustomerAttributes(
      csv: "customer_id,region,age\n1,north,30\n2,,41\n3,south,NA\n4,east,50\n",
      file: "attrs.csv")
    let specification = ChurnFeatureSpecification(
      features: ["frequency"], attributes: ChurnFeatureSpecification.encodings(of: attributes))
    let message = Self.message {
      _ = try specification.design(for: Self.rows, attributes: attributes)
    }
    #expect(message?.hasPrefix("attrs.csv:3: column 'region'") == true, "\(message ?? "")")
    #expect(message?.contains("--fill") == true)
  }

  @Test func missingCustomerRowIsAnErrorUnlessFilled() throws {
    let attributes = try CustomerAttributes(
      csv: "customer_id,age\n1,30\n2,40\n4,50\n", file: "attrs.csv")
    var specification = ChurnFeatureSpecification(
      features: ["frequency"], attributes: ChurnFeatureSpecification.encodings(of: attributes))
    let message = Self.message {
      _ = try specification.design(for: Self.rows, attributes: attributes)
    }
    #expect(message == "attrs.csv: no row for customer_id '3' (use --fill to fill it)")
    specification.fill = true
    let x = try specification.design(for: Self.rows, attributes: attributes)
    #expect(x[2, 1] == 40, "filled with the column mean (30 + 40 + 50) / 3")
  }

  @Test func textColumnIsOneHotWithTheFirstSortedLevelAsReference() throws {
    let attributes = try CustomerAttributes(
      csv: "customer_id,region,age\n1,south,30\n2,east,41\n3,north,\"35\"\n4,south,50\n",
      file: "attrs.csv")
    let encodings = ChurnFeatureSpecification.encodings(of: attributes)
    #expect(encodings[0].kind == .categorical)
    #expect(encodings[0].levels == ["east", "north", "south"])
    #expect(encodings[1].kind == .numeric)
    let specification = ChurnFeatureSpecification(features: ["frequency"], attributes: encodings)
    #expect(specification.featureNames == ["frequency", "region=north", "region=south", "age"])
    let x = try specification.design(for: Self.rows, attributes: attributes)
    #expect((0..<4).map { x[$0, 1] } == [0, 0, 1, 0])
    #expect((0..<4).map { x[$0, 2] } == [1, 0, 0, 1])
    #expect((0..<4).map { x[$0, 3] } == [30, 41, 35, 50])
  }

  @Test func unseenLevelAtScoringNamesLineAndLevels() throws {
    let training = try CustomerAttributes(
      csv: "customer_id,region\n1,south\n2,east\n", file: "train.csv")
    let specification = ChurnFeatureSpecification(
      features: ["frequency"], attributes: ChurnFeatureSpecification.encodings(of: training))
    let scoring = try CustomerAttributes(
      csv: "customer_id,region\n1,south\n2,west\n3,east\n4,east\n", file: "score.csv")
    let message = Self.message {
      _ = try specification.design(for: Self.rows, attributes: scoring)
    }
    #expect(message?.hasPrefix("score.csv:3: column 'region': cannot parse 'west'") == true)
    #expect(message?.contains("east, south") == true, "\(message ?? "")")
  }

  @Test func malformedAttributeFilesNameTheLine() throws {
    let cases: [(String, String)] = [
      ("id,region\n1,a\n", "attrs.csv: no 'customer_id' column in the header"),
      (
        "customer_id,region\n1,a\n2\n",
        "attrs.csv:3: 1 fields, expected 2 as in the header (no value for column 'region')"
      ),
      ("customer_id,region\n1,a\n1,b\n", "attrs.csv:3: customer_id '1' repeats line 2"),
      ("customer_id,region\n1,\"a\n", "attrs.csv:2: unterminated quote"),
      ("customer_id,region\n", "attrs.csv: no rows after the header"),
    ]
    for (text, expected) in cases {
      let message = Self.message { _ = try CustomerAttributes(csv: text, file: "attrs.csv") }
      #expect(message == expected)
    }
  }
}
