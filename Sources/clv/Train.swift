import ArgumentParser

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit a model (bgnbd, mbgnbd, pnbd, bgbb, gamma-gamma, churn-logit) and write its model file."
  )

  func run() throws {
    throw CommandError.notImplemented("train")
  }
}
