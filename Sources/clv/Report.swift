import ArgumentParser

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare evaluation runs in a self-contained HTML report."
  )

  func run() throws {
    throw CommandError.notImplemented("report")
  }
}
