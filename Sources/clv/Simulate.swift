import ArgumentParser

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate an order log from a model's generative process."
  )

  func run() throws {
    throw CommandError.notImplemented("simulate")
  }
}
