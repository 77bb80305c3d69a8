import CLVData

/// A model fitted by maximum likelihood on customer summaries, with a fixed list of named
/// parameters: what a ``ModelDescriptor`` needs to fit it and to read it back from its file.
///
/// The requirement `fit(_:weights:options:)` is the one entry point of every summary fit
/// (`clv train`, `clv evaluate`, the library); `weights` are counts per row (nil: 1 each).
public protocol SummaryFittable: ParametricModel, ModelFileConvertible {
  /// Fits the model on `summary` (times in the summary's unit).
  /// - Throws: ``ModelError`` (unusable data, no convergence, degenerate fit).
  static func fit(_ summary: RFMSummary, weights: [Double]?, options: FitOptions) throws -> Self
}

extension ParetoNBD: SummaryFittable {}
extension BGBB: SummaryFittable {}
extension GammaGamma: SummaryFittable {}
