import CLVModels

extension RunFile.ModelResult {
  /// The entry of a model file as it is: its schema, model id, parameters, standard errors,
  /// log-likelihood, customers, unit, `fit` and `data` objects (the model file's own types),
  /// creation time, tool and model-specific fields (the measures are added by the evaluation).
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
      customers: file.customers, unit: file.unit, fit: file.fit, data: file.data,
      createdAt: file.createdAt, tool: file.tool, extra: file.extra?.normalized)
  }
}

extension RunFile.DataInfo {
  /// The run's data as a model file's record of its training data: the input, its SHA-256,
  /// the calibration and observation ends and the first purchase day.
  public var source: ModelFile.DataSource {
    ModelFile.DataSource(
      file: file, sha256: sha256, observationEnd: observationEnd,
      calibrationEnd: calibrationEnd, firstDate: firstPurchase)
  }
}
