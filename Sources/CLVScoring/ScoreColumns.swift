/// The columns of the score table, in order: the one definition that `clv score` writes
/// (``ScoreTable``, ``ScoreAugmenter``) and `clv target` reads (``ScoresReader``).
public enum ScoreColumns {
  /// The customer's history and the model outputs (empty in a prospect's row, but for the id).
  /// frequency, recency and T are in the purchase model's unit.
  public static let base = [
    "customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
    "expected_purchases", "prob_no_purchase", "expected_spend", "clv",
  ]

  /// The columns appended after ``base``: segment, lifecycle stage, dates, churn probability
  /// and the ids of the models behind the scores.
  public static let appended = [
    "segment", "lifecycle_stage", "as_of", "first_purchase", "last_purchase",
    "expected_next_purchase", "churn_probability", "model", "spend_model", "churn_model",
  ]

  /// Every column, in file order.
  public static let all = base + appended

  /// The columns `clv score --cac FILE` appends after ``all`` (only then: without `--cac` the
  /// file is as before): the customer's acquisition cost and the margin against it
  /// (``AcquisitionEconomics`` defines each). Optional, so ``ScoresReader`` does not require
  /// them.
  public static let acquisition = [
    "cac", "first_order_profit", "margin_to_date", "clv_to_cac", "payback_days",
  ]

  /// The header line, without a line end.
  public static var header: String { all.joined(separator: ",") }

  /// The predictions that `clv score --intervals` gives an interval, in order.
  public static let predictionsWithIntervals = [
    "p_alive", "expected_purchases", "prob_no_purchase", "expected_spend", "clv",
  ]

  /// The interval columns `clv score --intervals` appends last (after ``all`` and, with
  /// `--cac`, after ``acquisition``): for each of
  /// ``predictionsWithIntervals``, `<column>_low` and `<column>_high`, the bounds of its
  /// equal-tailed percentile interval over parameter draws (``PredictionIntervals``); the
  /// spend and CLV bounds are empty without a spend model, all are empty in a prospect's row.
  public static let intervals = predictionsWithIntervals.flatMap { [$0 + "_low", $0 + "_high"] }

  /// The columns of a subscriber score table (`clv score` with a contractual model: sBG, BdW),
  /// written by ``SubscriberScoreTable``: the subscriber's contract as of the as-of period and
  /// the model's projections (the guide `notebooks-md/guides/subscribers.md` defines each).
  public static let subscriber = [
    "customer_id", "start_period", "end_period", "renewals", "active", "retention_next",
    "p_active_horizon", "expected_periods_horizon", "derl", "model",
  ]

  /// The subscriber projections that `clv score --intervals` gives an interval, in order.
  public static let subscriberPredictionsWithIntervals = [
    "retention_next", "p_active_horizon", "expected_periods_horizon", "derl",
  ]

  /// The interval columns of a subscriber score table with `--intervals`, appended after
  /// ``subscriber``: for each of ``subscriberPredictionsWithIntervals``, `<column>_low` and
  /// `<column>_high` (``SubscriberScoreTable/Intervals``).
  public static let subscriberIntervals = subscriberPredictionsWithIntervals.flatMap {
    [$0 + "_low", $0 + "_high"]
  }

  /// The appended fields before `churn_probability` (the ones left empty without dates).
  static let datedFieldCount = appended.firstIndex(of: "churn_probability")!
}
