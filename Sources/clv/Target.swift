import ArgumentParser

struct Target: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Build a win-back or replenishment list from a scores file."
  )

  func run() throws {
    throw CommandError.notImplemented("target")
  }
}
