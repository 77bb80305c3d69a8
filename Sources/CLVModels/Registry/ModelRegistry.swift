import CLVData

/// The table of every model clvkit knows: the only place that lists model ids.
///
/// Commands, help texts, error messages, the run file, the simulator and the report read it
/// (by id, by kind, by what a model needs and offers); no other code switches on model ids or
/// lists them, which `RegistryConsistencyTests` checks by scanning `Sources/`. To add a model,
/// follow the checklist in `notebooks-md/guides/architecture.md`: one folder, one line here.
public enum ModelRegistry {
  /// Every model, in the order help texts list them.
  public static let all: [ModelDescriptor] = [
    ModelDescriptor(
      BGNBD.self, kind: .purchase, needs: .purchaseHistory, predictions: .purchaseModel,
      evaluatedByDefault: true),
    ModelDescriptor(
      MBGNBD.self, kind: .purchase, needs: .purchaseHistory, predictions: .purchaseModel,
      evaluatedByDefault: true),
    ModelDescriptor(
      ParetoNBD.self, kind: .purchase, needs: .purchaseHistory, predictions: .purchaseModel,
      evaluatedByDefault: true),
    ModelDescriptor(
      BGBB.self, kind: .purchase, needs: [.purchaseHistory, .wholePeriods],
      predictions: [.expectedPurchases, .probabilityAlive, .timeToNextPurchase],
      timeScale: .opportunity, evaluatedByDefault: false, usage: "whole-number periods only"),
    ModelDescriptor(
      NBD.self, kind: .purchase, needs: .purchaseHistory, predictions: .purchaseModel,
      evaluatedByDefault: false),
    ModelDescriptor(
      BGCNBDk.self, kind: .purchase, needs: [.purchaseHistory, .interPurchaseTimes],
      predictions: ModelPredictions.purchaseModel.union(.regularTiming), evaluatedByDefault: false,
      usage: "order log or a summary with litt"),
    ModelDescriptor(
      MBGCNBDk.self, kind: .purchase, needs: [.purchaseHistory, .interPurchaseTimes],
      predictions: ModelPredictions.purchaseModel.union(.regularTiming), evaluatedByDefault: false,
      usage: "order log or a summary with litt"),
    ModelDescriptor(
      GammaGamma.self, kind: .spend, needs: [.purchaseHistory, .monetaryValue],
      predictions: .expectedSpend, timeScale: .none, evaluatedByDefault: true,
      usage: "needs an amount column", warnings: GammaGamma.parameterWarnings),
    ModelDescriptor(
      trainedSeparately: LogisticChurn.self, kind: .churn, needs: [.churnLabels],
      predictions: .churnProbability, positiveParameters: false, evaluatedByDefault: true),
    ModelDescriptor(contractual: SBG.self),
    ModelDescriptor(contractual: BDW.self),
  ]

  /// The descriptor of `id`, or nil.
  public static func descriptor(for id: String) -> ModelDescriptor? {
    all.first { $0.id == id }
  }

  /// Every model id, in table order.
  public static var ids: [String] { all.map(\.id) }

  /// The ids of the models of `kind`, in table order.
  public static func ids(of kind: ModelKind) -> [String] {
    all.filter { $0.kind == kind }.map(\.id)
  }

  /// The ids of the models that need `data` (e.g. the inter-purchase times), in registry order.
  public static func ids(needing data: ModelDataNeeds) -> [String] {
    all.filter { $0.needs.contains(data) }.map(\.id)
  }

  /// "a, b, c" for messages and help texts.
  public static func list(_ ids: [String]) -> String { ids.joined(separator: ", ") }
}
