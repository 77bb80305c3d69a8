import CLVData

extension ModelFile {
  /// Checks each field's domain, so that a file that decodes but cannot describe a model
  /// (`r = -1`, a subnormal `5e-324`, `unit: "opportunity"` for BG/NBD) fails on reading,
  /// naming the field and value, instead of giving negative expectations or probabilities
  /// above 1. What is allowed comes from the model's ``ModelDescriptor``:
  ///
  /// - parameters: with ``ModelDescriptor/positiveParameters``, every one of its
  ///   ``ModelDescriptor/parameterNames`` present, finite, positive and normal (≥ 2.2e-308: a
  ///   subnormal one has lost its precision); otherwise (churn-logit's coefficients) finite;
  /// - `unit`: by ``ModelDescriptor/timeScale``: a calendar unit (day, week, month) for a
  ///   purchase model on the calendar (the scale of its rates); `opportunity` or null for a
  ///   discrete-opportunity model; null or a calendar unit for a model without time in its
  ///   parameters and for a churn model (whose label carries its own unit);
  /// - standard errors and the log-likelihood finite, standard errors ≥ 0, `customers` ≥ 0;
  /// - `fit`: counts ≥ 0, seconds and gradient norm finite and ≥ 0, penalizer finite ≥ 0;
  /// - `data`: dates yyyy-MM-dd, the calibration end not after the observation end.
  ///
  /// A file without `fit` (parameters only, e.g. published values) is a valid model file.
  /// - Throws: ``ModelError/invalidModelFile(path:reason:)``.
  func checkDomains(_ descriptor: ModelDescriptor, path: String) throws {
    func fail(_ field: String, _ value: String, _ expected: String) -> ModelError {
      .invalidModelFile(path: path, reason: "\(field) = \(DataError.shown(value)): \(expected)")
    }
    if descriptor.positiveParameters {
      for name in descriptor.parameterNames {
        guard let value = parameters[name] else {
          throw ModelError.invalidModelFile(path: path, reason: "parameter '\(name)' is missing")
        }
        guard value.isFinite, value > 0, value.isNormal else {
          throw fail("parameters.\(name)", "\(value)", "must be a positive normal number")
        }
      }
    } else {
      for (name, value) in zip(parameters.names, parameters.values) where !value.isFinite {
        throw fail("parameters.\(name)", "\(value)", "must be finite")
      }
    }
    try checkUnit(descriptor, fail: fail)
    if let standardErrors {
      for (name, value) in zip(standardErrors.names, standardErrors.values)
      where !(value.isFinite && value >= 0) {
        throw fail("standardErrors.\(name)", "\(value)", "must be a finite number ≥ 0")
      }
    }
    if let logLikelihood, !logLikelihood.isFinite {
      throw fail("logLikelihood", "\(logLikelihood)", "must be finite")
    }
    if let customers, customers < 0 { throw fail("customers", "\(customers)", "must be ≥ 0") }
    if let fit {
      for case let (name, value?) in [
        ("iterations", fit.iterations), ("functionEvaluations", fit.functionEvaluations),
        ("distinctRows", fit.distinctRows), ("dropped", fit.dropped),
      ] where value < 0 {
        throw fail("fit.\(name)", "\(value)", "must be ≥ 0")
      }
      for case let (name, value?) in [
        ("seconds", fit.seconds), ("gradientNorm", fit.gradientNorm),
        ("penalizer", fit.penalizer),
      ] where !(value.isFinite && value >= 0) {
        throw fail("fit.\(name)", "\(value)", "must be a finite number ≥ 0")
      }
    }
    try checkDates(fail: fail)
  }

  private func checkUnit(
    _ descriptor: ModelDescriptor, fail: (String, String, String) -> ModelError
  ) throws {
    switch (descriptor.timeScale, descriptor.kind) {
    case (.opportunity, _):
      if let unit, unit != .opportunity {
        throw fail(
          "unit", "'\(unit)'", "\(descriptor.id) counts opportunities (expected \"opportunity\")")
      }
    case (.calendar, .purchase):
      guard unit?.timeUnit != nil else {
        throw fail(
          "unit", unit.map { "'\($0)'" } ?? "null",
          "not a time unit (day, week, month): the parameters' time scale is needed")
      }
    default:
      if let unit, unit.timeUnit == nil {
        throw fail("unit", "'\(unit)'", "not a time unit (day, week, month) or null")
      }
    }
  }

  private func checkDates(fail: (String, String, String) -> ModelError) throws {
    guard let data else { return }
    var days: [String: Day] = [:]
    for (name, value) in [
      ("observationEnd", data.observationEnd), ("calibrationEnd", data.calibrationEnd),
      ("firstDate", data.firstDate), ("lastDate", data.lastDate),
    ] {
      guard let value else { continue }
      guard let day = Day(iso: value) else {
        throw fail("data.\(name)", "'\(value)'", "not a date yyyy-MM-dd")
      }
      days[name] = day
    }
    if let calibration = days["calibrationEnd"], let observation = days["observationEnd"],
      calibration > observation
    {
      throw fail(
        "data.calibrationEnd", data.calibrationEnd ?? "",
        "after data.observationEnd \(data.observationEnd ?? "")")
    }
  }
}
