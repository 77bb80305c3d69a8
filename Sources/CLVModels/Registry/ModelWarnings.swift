/// Warnings about a fitted model that a reader must see before trusting its predictions: the
/// one place that decides them, for `clv train`, `clv evaluate` (standard error) and
/// `clv report`.
///
/// The rules: a model that failed; a fit whose optimizer did not converge; a degenerate fit
/// kept with `--allow-degenerate`; and the model's own parameter rules
/// (``ModelDescriptor/parameterWarnings(_:)``, e.g. Gamma-Gamma's q ≤ 1).
public enum ModelWarnings {
  /// The warnings of one model, as sentences without a trailing period.
  ///
  /// - Parameters:
  ///   - id: the model key (its registry line gives the parameter rules; an unknown key has
  ///     none).
  ///   - parameters: estimates by name.
  ///   - converged: whether the optimizer converged (nil: unknown).
  ///   - degenerate: whether the fit was kept although degenerate.
  ///   - reason: why the optimizer stopped or why the fit is degenerate.
  ///   - error: the failure of a model that could not be fitted or measured.
  public static func warnings(
    model id: String, parameters: [String: Double], converged: Bool? = nil,
    degenerate: Bool? = nil, reason: String? = nil, error: String? = nil
  ) -> [String] {
    if let error { return ["failed: \(error)"] }
    var lines: [String] = []
    if degenerate == true {
      lines.append("degenerate fit kept: \(reason ?? "degenerate")")
    } else if converged == false {
      lines.append("the fit did not converge" + (reason.map { " (\($0))" } ?? ""))
    }
    lines += ModelRegistry.descriptor(for: id)?.parameterWarnings(parameters) ?? []
    return lines
  }

  /// The warnings of a fitted model value (``warnings(model:parameters:converged:degenerate:reason:error:)``
  /// with its fit report).
  public static func warnings(of model: some FittedModel) -> [String] {
    let report = model.fitReport
    return warnings(
      model: type(of: model).modelID,
      parameters: Dictionary(
        zip(model.parameterNames, model.parameterValues), uniquingKeysWith: { a, _ in a }),
      converged: report?.converged, degenerate: report?.degenerate, reason: report?.reason)
  }
}
