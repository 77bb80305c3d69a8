extension ModelFile {
  /// How `clv train --model auto` chose the model of the file: the split it compared the
  /// candidates on, each candidate's holdout error (or its failure) and the winner. Written by
  /// `CLVEvaluation`'s `ModelSelection`; absent from a file trained with a named model.
  ///
  /// ```json
  /// "selection": { "metric": "rmse", "calibrationEnd": "1998-02-18",
  ///   "observationEnd": "1998-06-30", "holdoutDays": 132, "customers": 21014,
  ///   "rule": "…", "chosen": "pnbd",
  ///   "candidates": [ {"model": "bgnbd", "rmse": 1.21, "mae": 0.59, "predicted": 9350.2,
  ///                    "actual": 10214, "error": null}, … ] }
  /// ```
  public struct Selection: Codable, Sendable, Equatable {
    /// One candidate's outcome on the holdout.
    public struct Candidate: Codable, Sendable, Equatable {
      /// The model id.
      public var model: String
      /// Root mean squared error of the per-customer holdout purchases (the selection metric);
      /// nil when the candidate failed.
      public var rmse: Double?
      /// Mean absolute error of the same predictions (shown, not used to choose).
      public var mae: Double?
      /// Predicted and actual holdout purchases, summed over the customers.
      public var predicted: Double?
      public var actual: Double?
      /// The one-line error of a candidate that failed (fit, convergence, time limit); nil
      /// otherwise.
      public var error: String?

      public init(
        model: String, rmse: Double? = nil, mae: Double? = nil, predicted: Double? = nil,
        actual: Double? = nil, error: String? = nil
      ) {
        self.model = model
        self.rmse = rmse
        self.mae = mae
        self.predicted = predicted
        self.actual = actual
        self.error = error
      }
    }

    /// The selection metric's key (`rmse`).
    public var metric: String
    /// The end of the calibration period of the comparison, `yyyy-MM-dd`.
    public var calibrationEnd: String
    /// The end of its holdout (the last day of the data the model was refitted on).
    public var observationEnd: String
    /// The holdout's length in days.
    public var holdoutDays: Int
    /// Customers acquired by the calibration end (the ones compared).
    public var customers: Int
    /// The split and selection rule, in words.
    public var rule: String
    /// The chosen model's id (the file's `model`).
    public var chosen: String
    /// Every candidate, in registry order.
    public var candidates: [Candidate]
    /// Candidates with a smaller holdout error whose refit on all the data failed, with the
    /// error; empty when the best candidate refitted.
    public var refitFailures: [Candidate]

    public init(
      metric: String, calibrationEnd: String, observationEnd: String, holdoutDays: Int,
      customers: Int, rule: String, chosen: String, candidates: [Candidate],
      refitFailures: [Candidate] = []
    ) {
      self.metric = metric
      self.calibrationEnd = calibrationEnd
      self.observationEnd = observationEnd
      self.holdoutDays = holdoutDays
      self.customers = customers
      self.rule = rule
      self.chosen = chosen
      self.candidates = candidates
      self.refitFailures = refitFailures
    }

    /// The record as a JSON value, keys in the documented order.
    public var jsonValue: JSONValue {
      func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
      func candidate(_ c: Candidate) -> JSONValue {
        .object([
          ("model", .string(c.model)), ("rmse", number(c.rmse)), ("mae", number(c.mae)),
          ("predicted", number(c.predicted)), ("actual", number(c.actual)),
          ("error", c.error.map { .string($0) } ?? .null),
        ])
      }
      return .object([
        ("metric", .string(metric)),
        ("calibrationEnd", .string(calibrationEnd)),
        ("observationEnd", .string(observationEnd)),
        ("holdoutDays", .number(Double(holdoutDays))),
        ("customers", .number(Double(customers))),
        ("rule", .string(rule)),
        ("chosen", .string(chosen)),
        ("candidates", .array(candidates.map(candidate))),
        ("refitFailures", .array(refitFailures.map(candidate))),
      ])
    }

    /// Whether every number is finite.
    public var isFinite: Bool {
      (candidates + refitFailures).allSatisfy { c in
        [c.rmse, c.mae, c.predicted, c.actual].allSatisfy { $0?.isFinite ?? true }
      }
    }
  }
}
