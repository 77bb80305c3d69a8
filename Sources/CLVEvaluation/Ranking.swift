extension RunFile.Ranking {
  /// The models ranked by holdout MAE (purchase models, lowest first) and by AUC (churn scores,
  /// highest first). Ties keep the order in which the models were requested.
  public init(ranking models: [RunFile.ModelResult]) {
    let byMAE = models.enumerated().compactMap { index, model in
      model.holdout.map { (index, RunFile.RankEntry(model: model.model, value: $0.mae)) }
    }
    let byAUC = models.enumerated().compactMap { index, model in
      model.churn.map { (index, RunFile.RankEntry(model: model.model, value: $0.auc)) }
    }
    self.init(
      byMAE: byMAE.sorted { ($0.1.value, $0.0) < ($1.1.value, $1.0) }.map(\.1),
      byAUC: byAUC.sorted { (-$0.1.value, $0.0) < (-$1.1.value, $1.0) }.map(\.1))
  }
}
