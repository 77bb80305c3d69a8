import ArgumentParser
import CLVData
import CLVModels

/// The options of the contractual models (sBG, BdW) shared by `clv train` and `clv score`.
struct SubscriberOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      """
      \(ModelRegistry.list(ModelRegistry.ids(of: .contractual))): the as-of period A (a whole \
      number): subscribers who start after A are left out, cancellations after A are not yet \
      known (the subscriber counts as active), a cohort file is used up to period A \
      (default: the last period in the file).
      """, valueName: "period"))
  var asOfPeriod: Int?
}

/// `clv train SUBSCRIBERS --model sbg|bdw`: reads subscriber data (``SubscriberData``), fits
/// the model on the contract durations as of `--as-of-period`, writes the model file and prints
/// the estimates with the projected survival and retention.
func trainContractual(
  input: String, descriptor: ModelDescriptor, asOf: Int?, options: FitOptions, output: String
) throws {
  let out = try AtomicOutput(path: output)
  let inputHash = input == "-" ? nil : SHA256.hexInBackground(ofFile: input)
  let data = try SubscriberData.read(path: input)
  let durations = try data.durations(asOf: asOf)
  var stderr = StandardError()
  if durations.notStarted > 0 {
    print(
      "clv: note: \(descriptor.id): \(durations.notStarted) subscribers start after the as-of "
        + "period \(asOf ?? data.lastPeriod) and are left out", to: &stderr)
  }
  let fitted = try descriptor.fit(durations, options: options)
  if let report = fitted.fitReport, report.degenerate {
    print(
      "clv: warning: degenerate fit kept (--allow-degenerate): \(report.reason ?? "")",
      to: &stderr)
  }
  let file = ModelFile(
    model: fitted, unit: descriptor.unit(fittedOn: .week),
    data: ModelFile.DataSource(file: input, sha256: inputHash?()), toolVersion: clvVersion)
  try out.write(try file.jsonText())
  try out.commit()
  let text = parameterTable(fitted) + retentionTable(fitted, through: durations.longest + 5)
  if output == "-" {
    print(text, terminator: "", to: &stderr)
  } else {
    print(text, terminator: "")
  }
}

/// The projected survival S(t) and retention r_t for t = 0 … `periods`, and the expected
/// lifetime (``ContractualModel``).
func retentionTable(_ model: any ContractualModel, through periods: Int) -> String {
  var text = "period survival retention\n"
  for t in 0...periods {
    let survival = String(format: "%.6f", model.survival(t))
    let retention = t == 0 ? "" : String(format: "%.6f", model.retentionRate(t))
    text += "\(t) \(survival) \(retention)".trimmingTrailingSpace() + "\n"
  }
  if let lifetime = model.expectedLifetime {
    text += "expected lifetime: \(String(format: "%.4f", lifetime)) periods\n"
  } else {
    text += "expected lifetime: infinite (the beta distribution puts too much weight near "
    text += "θ = 0); see DEL and DERL with a discount rate\n"
  }
  return text
}

extension String {
  fileprivate func trimmingTrailingSpace() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
