extension RunFile.Ranking {
  /// The models ranked by holdout RMSE and by holdout MAE (purchase models, lowest first) and by
  /// AUC (churn scores, highest first). Ties keep the order in which the models were requested.
  ///
  /// RMSE is the headline, as in `clv train --model auto` (``ModelSelection``: the squared
  /// error is the one for which the conditional expectation the models predict is the best
  /// forecast; the absolute error rewards predicting too few purchases on counts that are
  /// mostly zero). MAE is kept beside it for readers of older run files.
  public init(ranking models: [RunFile.ModelResult]) {
    func ranked(_ measure: (RunFile.Holdout) -> Double) -> [RunFile.RankEntry] {
      models.enumerated().compactMap { index, model in
        model.holdout.map { (index, RunFile.RankEntry(model: model.model, value: measure($0))) }
      }.sorted { ($0.1.value, $0.0) < ($1.1.value, $1.0) }.map(\.1)
    }
    let byAUC = models.enumerated().compactMap { index, model in
      model.churn.map { (index, RunFile.RankEntry(model: model.model, value: $0.auc)) }
    }
    self.init(
      byMAE: ranked(\.mae),
      byAUC: byAUC.sorted { (-$0.1.value, $0.0) < (-$1.1.value, $1.0) }.map(\.1),
      byRMSE: ranked(\.rmse))
  }
}
