import CLVModels

extension RunFile.ModelResult {
  /// The entry of a model file as it is: its schema, model id, parameters, standard errors,
  /// log-likelihood, customers, unit, fit report, training data, creation time, tool and
  /// model-specific fields, copied field by field (the measures are added by the evaluation).
  /// `name` and `parameterNames` come from the registry and the file's own order.
  public init(modelFile file: ModelFile) {
    func dictionary(_ values: NamedValues) -> [String: Double] {
      Dictionary(uniqueKeysWithValues: zip(values.names, values.values))
    }
    self.init(
      schema: file.schema, model: file.model,
      name: ModelRegistry.descriptor(for: file.model)?.displayName,
      parameters: dictionary(file.parameters), parameterNames: file.parameters.names,
      standardErrors: file.standardErrors.map(dictionary), logLikelihood: file.logLikelihood,
      customers: file.customers, unit: file.unit?.rawValue,
      fit: file.fit.map(RunFile.FitInfo.init(modelFile:)),
      data: file.data.map(RunFile.ModelData.init(modelFile:)), createdAt: file.createdAt,
      tool: file.tool, extra: file.extra?.normalized)
  }
}

extension RunFile.FitInfo {
  /// The `fit` object of a model file (its CPU time is not carried into run files).
  public init(modelFile fit: ModelFile.Fit) {
    self.init(
      iterations: fit.iterations, functionEvaluations: fit.functionEvaluations,
      gradientNorm: fit.gradientNorm, converged: fit.converged, degenerate: fit.degenerate,
      seconds: fit.seconds, distinctRows: fit.distinctRows, penalizer: fit.penalizer,
      reason: fit.reason, dropped: fit.dropped)
  }
}

extension RunFile.ModelData {
  /// The `data` object of a model file.
  public init(modelFile data: ModelFile.DataSource) {
    self.init(
      file: data.file, sha256: data.sha256, observationEnd: data.observationEnd,
      calibrationEnd: data.calibrationEnd, firstDate: data.firstDate, lastDate: data.lastDate)
  }
}
