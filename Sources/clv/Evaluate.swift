import ArgumentParser

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit models on a calibration period and measure them on the holdout period."
  )

  func run() throws {
    throw CommandError.notImplemented("evaluate")
  }
}
