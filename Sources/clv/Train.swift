import ArgumentParser

// Minimal `train` written by the churn helper while this file was a stub on main: it parses
// the shared options and dispatches `--model churn-logit` to `trainChurn` (TrainChurn.swift).
// The models helper owns this file; merge its BTYD cases into the switch in `run()`.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit a model (bgnbd, mbgnbd, pnbd, bgbb, gamma-gamma, churn-logit) and write its model file."
  )

  @Argument(help: "Order log (CSV or delimited text) or summary CSV, or - for standard input.")
  var input: String

  @Option(help: "Model: bgnbd, mbgnbd, pnbd, bgbb, gamma-gamma, churn-logit (required).")
  var model: String

  @Option(name: .shortAndLong, help: "Model file to write (JSON), or - for standard output (default: -).")
  var output: String = "-"

  @OptionGroup var ingest: IngestOptions

  @OptionGroup(title: "churn-logit options") var churn: ChurnTrainOptions

  func validate() throws {
    if model != "churn-logit", churn.isUsed {
      throw ValidationError(
        "--features, --with-model, --attributes, --fill and --l2 apply to --model churn-logit only")
    }
  }

  func run() throws {
    switch model {
    case "churn-logit":
      try trainChurn(input: input, ingest: ingest, options: churn, output: output)
    default:
      throw CommandError.notImplemented("train --model \(model)")
    }
  }
}
