import Foundation

/// Locations of the repository, the shared reference data and the built binary, for tests.
public enum Fixtures {
  /// The repository root (the folder holding Package.swift).
  public static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url
      }
    }
    fatalError("no Package.swift above \(#filePath)")  // programmer error: tests run from the repo
  }()

  /// `../shared/datasets` beside the checkout. Tests that need it fail loudly when it is missing.
  public static let sharedDatasets: URL =
    repositoryRoot
    .deletingLastPathComponent().appendingPathComponent("shared/datasets")

  /// A file in `../shared/datasets`, or an error that says where it was looked for.
  public static func sharedDataset(_ name: String) throws -> URL {
    let url = sharedDatasets.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw FixtureError.missing(url.path)
    }
    return url
  }

  /// A fresh, empty temporary directory.
  public static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("clvkit-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

public enum FixtureError: Error, CustomStringConvertible {
  case missing(String)
  /// A `clv` command that builds a fixture failed: its arguments and standard error.
  case commandFailed([String], String)
  public var description: String {
    switch self {
    case .missing(let path):
      return "reference data missing: \(path) (clone the project with ../shared beside it)"
    case .commandFailed(let arguments, let standardError):
      return "fixture command 'clv \(arguments.joined(separator: " "))' failed: \(standardError)"
    }
  }
}

extension Fixtures {
  /// A new temporary folder in which the `clv` `commands` ran, in order: inputs that a suite's
  /// tests share, built once.
  /// - Throws: ``FixtureError/commandFailed(_:_:)`` for the first command that fails.
  public static func folder(running commands: [[String]]) throws -> URL {
    let dir = try temporaryDirectory()
    for arguments in commands {
      let result = try runCLV(arguments, in: dir)
      guard result.status == 0 else {
        throw FixtureError.commandFailed(arguments, result.standardError)
      }
    }
    return dir
  }

  /// A new temporary folder holding copies of the files `names` of `folder`.
  public static func copies(of names: [String], from folder: URL) throws -> URL {
    let dir = try temporaryDirectory()
    for name in names {
      try FileManager.default.copyItem(
        at: folder.appendingPathComponent(name), to: dir.appendingPathComponent(name))
    }
    return dir
  }
}

extension Fixtures {
  /// The `clv` executable built beside the test bundle (same build folder and configuration).
  public static func clvBinary() throws -> URL {
    let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
      let url = candidate.appendingPathComponent("clv")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw FixtureError.missing(bundleFolder.appendingPathComponent("clv").path)
  }

  /// The result of running a program to completion.
  public struct RunResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
  }

  /// Runs the built `clv` with `arguments` (and optional standard input), waiting for it to end.
  public static func runCLV(
    _ arguments: [String], input: String? = nil, in directory: URL? = nil
  ) throws -> RunResult {
    let process = Process()
    process.executableURL = try clvBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so that a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(
      status: process.terminationStatus,
      standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }
}
