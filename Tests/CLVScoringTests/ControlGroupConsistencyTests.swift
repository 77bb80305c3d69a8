import CLVData
import CLVScoring
import Testing

/// The control group: its size, its spread over the rank deciles, its seed.
@Suite struct ControlGroupConsistencyTests {
  @Test(arguments: [0, 1, 7, 10, 95, 1000, 1234])
  func controlShareIsRoundedOverallAndPerDecile(count: Int) throws {
    let design = try ControlGroup(fraction: 0.1, seed: 42)
    let groups = design.groups(count: count)
    #expect(groups.count == count)
    let controls = groups.count(where: { $0 == .control })
    // round(f·n) in all.
    #expect(controls == Int((0.1 * Double(count)).rounded(.toNearestOrAwayFromZero)))
    // Each decile (positions i with ⌊10i/n⌋ = k) holds its share to within one customer.
    for decile in 0..<10 {
      let positions = (0..<count).filter { $0 * 10 / count == decile }
      let inDecile = positions.count(where: { groups[$0] == .control })
      #expect(abs(Double(inDecile) - 0.1 * Double(positions.count)) < 1 + 1e-9)
    }
  }

  @Test func theSameSeedGivesTheSameGroupsAndAnotherSeedOthers() throws {
    let a = try ControlGroup(fraction: 0.2, seed: 7).groups(count: 500)
    let b = try ControlGroup(fraction: 0.2, seed: 7).groups(count: 500)
    let c = try ControlGroup(fraction: 0.2, seed: 8).groups(count: 500)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func theShareMustBeBetweenZeroAndOne() {
    for fraction in [0.0, 1.0, -0.1, .nan] {
      #expect(throws: ScoringError.self) { try ControlGroup(fraction: fraction, seed: 1) }
    }
  }

  @Test func designFlagsListsThatCannotDetectHalfTheBaseline() {
    // 900 treatment, 100 control at 10%: MDE = 2.801585 · √(0.09 · (1/900 + 1/100)) = 0.088594
    // (scipy reference, campaign_statistics.csv) > 0.05 = half the baseline: too small.
    let small = ControlGroup.design(
      of: Array(repeating: .treatment, count: 900) + Array(repeating: .control, count: 100),
      baselineRate: 0.1)
    #expect(small.treatment == 900 && small.control == 100)
    #expect(abs(small.minimumDetectableLift - 0.088593903482965974) < 1e-12)
    #expect(small.isTooSmall)
    // 10× the customers: MDE ≈ 0.028 < 0.05.
    let large = ControlGroup.design(
      of: Array(repeating: .treatment, count: 9000) + Array(repeating: .control, count: 1000),
      baselineRate: 0.1)
    #expect(!large.isTooSmall)
    // No control group: nothing detectable.
    let none = ControlGroup.design(of: [.treatment, .treatment], baselineRate: 0.1)
    #expect(none.minimumDetectableLift == .infinity && none.isTooSmall)
  }
}
