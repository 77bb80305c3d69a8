import CLVEvaluation

/// The retention section (contractual models: sBG, BdW): observed and projected survival and
/// retention curves by tenure, and the error of each projection. Self-contained: it reads only
/// ``RunFile/ModelResult/retention``.
extension ComparisonReport {
  func appendRetention(to document: inout Document) {
    let entries = self.entries.filter { $0.result.retention != nil }
    guard !entries.isEmpty else { return }
    document.blocks.append(.heading(level: 2, text: "Retention", anchor: "retention"))
    document.blocks.append(
      .paragraph(
        "Each model of subscriber data was fitted on the contracts as of the calibration end "
          + "and projects the share of subscribers still subscribed after t periods, S(t); the "
          + "observed curve is the Kaplan–Meier estimate from all the data (Kaplan & Meier "
          + "1958). Tenures after the marker were not seen by the fit. Retention rates are "
          + "r(t) = S(t)/S(t−1) (Fader & Hardie 2007, eqs. 2 and 8)."))
    let rows = entries.map { entry -> [Table.Cell] in
      let retention = entry.result.retention!
      let last = retention.predictedSurvival.count - 1
      let actualLast = retention.actualSurvival.last.flatMap { $0 }
      return [
        Table.Cell(entry.label),
        Table.Cell(NumberFormat.fixed(Double(retention.calibrationTenure), fractionDigits: 0)),
        Table.Cell(
          retention.calibrationMAE.map { NumberFormat.fixed($0, fractionDigits: 4) } ?? "—"),
        Table.Cell(
          retention.projectionMAE.map { NumberFormat.fixed($0, fractionDigits: 4) } ?? "—"),
        Table.Cell(
          last >= 0 ? NumberFormat.fixed(retention.predictedSurvival[last], fractionDigits: 4) : "—"
        ),
        Table.Cell(actualLast.map { NumberFormat.fixed($0, fractionDigits: 4) } ?? "—"),
        Table.Cell(
          retention.expectedLifetime.map { NumberFormat.fixed($0, fractionDigits: 2) }
            ?? "infinite"),
      ]
    }
    document.blocks.append(
      .table(
        Table(
          caption: "Survival S(t) by tenure: mean absolute error on the calibration tenures and "
            + "on the projected ones, and S at the longest tenure",
          headers: [
            "Model", "Calibration tenure", "MAE (calibration)", "MAE (projection)",
            "Predicted S(last)", "Actual S(last)", "Expected lifetime",
          ],
          numeric: [false, true, true, true, true, true, true], rows: rows)))
    for (groupIndex, group) in groups.enumerated() {
      let members = entries.filter { $0.group == groupIndex }
      guard let first = members.first?.result.retention else { continue }
      let suffix = group.label.isEmpty ? "" : " — \(group.label)"
      let marker = [
        LineChart.VerticalMarker(x: Double(first.calibrationTenure), label: "Calibration")
      ]
      func actualSeries(_ values: [Double?], start: Int) -> LineChart.Series {
        LineChart.Series(
          name: "Actual",
          points: values.enumerated().compactMap { t, value in
            value.map { LineChart.Point(Double(t + start), $0) }
          }, color: Palette.actual, markers: true)
      }
      var survival = [actualSeries(first.actualSurvival, start: 0)]
      var rates = [actualSeries(RunFile.Retention.retentionRates(first.actualSurvival), start: 1)]
      for entry in members {
        let retention = entry.result.retention!
        survival.append(
          LineChart.Series(
            name: entry.label,
            points: retention.predictedSurvival.enumerated().map {
              LineChart.Point(Double($0.offset), $0.element)
            }, color: entry.color, dash: entry.dash ?? "7 4"))
        rates.append(
          LineChart.Series(
            name: entry.label,
            points: RunFile.Retention.retentionRates(retention.predictedSurvival.map { $0 })
              .enumerated().compactMap { t, value in
                value.map { LineChart.Point(Double(t + 1), $0) }
              }, color: entry.color, dash: entry.dash ?? "7 4"))
      }
      document.blocks.append(
        .figures([
          Figure(
            name: "survival-\(groupIndex + 1)",
            chart: LineChart(
              title: "Survival by tenure\(suffix)",
              description: "Observed (Kaplan–Meier) and projected share still subscribed.",
              xLabel: "Tenure (periods)", yLabel: "Share still subscribed, S(t)",
              series: survival, markers: marker, yDomain: 0...1),
            caption: "Survival curve: the black line with markers is observed, the dashed "
              + "lines are each model's projection from the calibration data."),
          Figure(
            name: "retention-\(groupIndex + 1)",
            chart: LineChart(
              title: "Retention rate by tenure\(suffix)",
              description: "Observed and projected retention rates r(t) = S(t)/S(t−1).",
              xLabel: "Tenure (periods)", yLabel: "Retention rate r(t)", series: rates,
              markers: marker, yIncludesZero: false),
            caption: "Retention rates rise with tenure in a heterogeneous cohort even when no "
              + "subscriber changes (the sBG's sorting effect); the BdW adds individual "
              + "duration dependence."),
        ]))
    }
  }
}
