import ArgumentParser

struct Summarize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Per-customer frequency, recency, T and monetary value from an order log."
  )

  func run() throws {
    throw CommandError.notImplemented("summarize")
  }
}
