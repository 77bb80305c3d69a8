import CLVData

extension ModelFile.DataSource {
  /// The record of the data a model was fitted on, built in one place for `clv train`,
  /// churn-logit and `clv evaluate`: the input as the user named it, its SHA-256, the period
  /// (dates yyyy-MM-dd) and the first and last order dates of `summaries`.
  public init(
    file: String, sha256: String?, summaries: CustomerSummaries, observationEnd: Day?,
    calibrationEnd: Day?
  ) {
    self.init(
      file: file, sha256: sha256, observationEnd: observationEnd?.description,
      calibrationEnd: calibrationEnd?.description,
      firstDate: summaries.report.firstDate?.description,
      lastDate: summaries.report.lastDate?.description)
  }
}
