import ArgumentParser

struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Score customers: P(alive), expected purchases, spend, CLV, segment and lifecycle stage."
  )

  func run() throws {
    throw CommandError.notImplemented("score")
  }
}
