import Testing

/// Records a test issue unless `actual` is within tolerance of `expected`.
///
/// Pass exactly one of `absolute` or `relative`. `source` says where `expected` comes from
/// (a paper and table, a tool and its precision, or "regression, <commit>") and is printed
/// with any failure.
public func assertClose(
  _ actual: Double,
  _ expected: Double,
  absolute: Double? = nil,
  relative: Double? = nil,
  source: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  precondition((absolute == nil) != (relative == nil), "give exactly one of absolute or relative")
  guard actual.isFinite else {
    Issue.record(
      "\(actual) is not finite (expected \(expected); \(source))", sourceLocation: sourceLocation)
    return
  }
  let error = abs(actual - expected)
  if let absolute {
    if !(error <= absolute) {
      Issue.record(
        "\(actual) differs from \(expected) by \(error) > absolute \(absolute) (\(source))",
        sourceLocation: sourceLocation)
    }
  } else if let relative {
    let scale = abs(expected)
    if !(error <= relative * scale) {
      Issue.record(
        "\(actual) differs from \(expected) by relative \(error / scale) > \(relative) (\(source))",
        sourceLocation: sourceLocation)
    }
  }
}
