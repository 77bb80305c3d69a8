import CLVData

/// A model that can be written to and read from a model file.
///
/// To add a model: conform it, and add its descriptor to ``ModelRegistry/all``.
public protocol ModelFileConvertible: FittedModel {
  /// Rebuilds the model from a loaded file (parameters by name, fit report, extra fields).
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)`` when a field is missing or invalid.
  init(modelFile: ModelFile, path: String) throws
  /// Model-specific fields beyond the envelope (e.g. churn-logit's features and scaling).
  var modelFileExtra: JSONValue? { get }
}

extension ModelFileConvertible {
  public var modelFileExtra: JSONValue? { nil }
}

extension ModelFileConvertible where Self: ParametricModel {
  public init(modelFile: ModelFile, path: String) throws {
    let values = try modelFile.parameterValues(named: Self.parameterNames, path: path)
    self.init(
      parameters: values, fitReport: modelFile.fitReport(parameterNames: Self.parameterNames))
  }
}

/// A model whose parameters are a fixed list of positive numbers (the BTYD models).
public protocol ParametricModel: FittedModel {
  static var parameterNames: [String] { get }
  init(parameters: [Double], fitReport: FitReport?)
}
