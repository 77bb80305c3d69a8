import ArgumentParser

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the whole pipeline on the bundled demo data."
  )

  func run() throws {
    throw CommandError.notImplemented("demo")
  }
}
