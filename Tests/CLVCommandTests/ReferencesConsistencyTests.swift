import Foundation
import TestSupport
import Testing

/// Every source key cited in the code and the walkthroughs is defined in
/// `notebooks-md/REFERENCES.md`, exactly once (STYLE.md, "Doc comments").
///
/// What counts as a citation (the rule, designed to catch real keys and nothing else):
/// - Where: full-line comments (`///` and `//`) of `Sources/**/*.swift` and `Tests/**/*.swift`,
///   and the prose of `README.md`, `models/README.md`, `datasets/README.md` and
///   `notebooks-md/**/*.md` (except `REFERENCES.md` itself). Skipped: inline code spans
///   (`` `…` ``), fenced code blocks, and doc-comment code blocks (lines indented by four more
///   spaces, where formulas such as `E[X(t)]` live).
/// - Shape: `[` + an uppercase letter + letters, digits or dashes, then `]`, or a locator after
///   a comma or semicolon, as in `[K1997, section 3.4.2]`. The bracket must not follow a letter,
///   digit or `]` (so `x[N2]` is indexing, not a citation) and must not be followed by `(` or
///   `[` (Markdown links).
/// - Key: a token of that shape is a key when it contains a digit (author–year keys such as
///   `[FHL2005a]` or `[WCAG21]` all do) or when it is defined in REFERENCES.md (`[DLMF]`,
///   `[CLVTools]`, `[FH-PNBD-CondPMF]`). A digit-free token that is not defined (`[String]` or
///   `[CustomerFacts]` written outside backticks) is taken for a Swift type, not a key: a new
///   digit-free key is checked only once it is defined, so a typo in one goes unnoticed.
@Suite struct ReferencesConsistencyTests {
  static let root = Fixtures.repositoryRoot
  static let referencesFile = root.appendingPathComponent("notebooks-md/REFERENCES.md")

  /// A citation found in a file: the key, and where (`path:line`).
  struct Citation: Hashable {
    var key: String
    var location: String
  }

  /// Keys defined in REFERENCES.md: lines `- **[KEY]** …`, in file order (duplicates kept).
  static func definedKeys() throws -> [String] {
    let text = try String(contentsOf: referencesFile, encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: #"^- \*\*\[([^\]]+)\]\*\*"#, options: [])
    return text.components(separatedBy: "\n").compactMap { line in
      let range = NSRange(line.startIndex..., in: line)
      guard let match = pattern.firstMatch(in: line, range: range),
        let keyRange = Range(match.range(at: 1), in: line)
      else { return nil }
      return String(line[keyRange])
    }
  }

  /// The candidate keys of one line of prose (inline code already removed).
  static func candidates(in text: String) -> [String] {
    let pattern = try! NSRegularExpression(  // a literal pattern: a programmer error if invalid
      pattern: #"(?<![A-Za-z0-9\]])\[([A-Z][A-Za-z0-9-]*)(?:[,;][^\]\[]*)?\](?![(\[])"#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).compactMap { match in
      Range(match.range(at: 1), in: text).map { String(text[$0]) }
    }
  }

  /// `text` without inline code spans.
  static func withoutInlineCode(_ text: String) -> String {
    text.replacingOccurrences(of: "`[^`]*`", with: "", options: .regularExpression)
  }

  /// Comment text of the full-line comments of a Swift file, with line numbers, skipping code.
  static func swiftCommentLines(_ text: String) -> [(line: Int, text: String)] {
    var result: [(Int, String)] = []
    var inFence = false
    for (index, raw) in text.components(separatedBy: "\n").enumerated() {
      let trimmed = raw.drop { $0 == " " }
      guard trimmed.hasPrefix("//") else { continue }
      let isDoc = trimmed.hasPrefix("///")
      let body = String(trimmed.dropFirst(isDoc ? 3 : 2))
      if body.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
        inFence.toggle()
        continue
      }
      // A doc-comment code block: four spaces beyond the one after `///`.
      if inFence || (isDoc && body.hasPrefix("     ")) { continue }
      result.append((index + 1, body))
    }
    return result
  }

  /// Prose lines of a Markdown file, with line numbers, outside fenced code blocks.
  static func markdownProseLines(_ text: String) -> [(line: Int, text: String)] {
    var result: [(Int, String)] = []
    var inFence = false
    for (index, raw) in text.components(separatedBy: "\n").enumerated() {
      if raw.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
        inFence.toggle()
        continue
      }
      if !inFence { result.append((index + 1, raw)) }
    }
    return result
  }

  /// Files scanned, relative to the repository root.
  static func scannedFiles() -> [String] {
    var files: [String] = []
    let manager = FileManager.default
    for folder in ["Sources", "Tests", "notebooks-md"] {
      let url = root.appendingPathComponent(folder)
      guard let enumerator = manager.enumerator(atPath: url.path) else { continue }
      for case let path as String in enumerator {
        let full = folder + "/" + path
        if path.hasSuffix(".swift")
          || (path.hasSuffix(".md") && full != "notebooks-md/REFERENCES.md")
        {
          files.append(full)
        }
      }
    }
    for file in ["README.md", "models/README.md", "datasets/README.md"]
    where manager.fileExists(atPath: root.appendingPathComponent(file).path) {
      files.append(file)
    }
    return files.sorted()
  }

  /// Every citation in the scanned files, by the rule above.
  static func citations(defined: Set<String>) throws -> [Citation] {
    var found: [Citation] = []
    for file in scannedFiles() {
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      let lines = file.hasSuffix(".swift") ? swiftCommentLines(text) : markdownProseLines(text)
      for (number, line) in lines {
        for key in candidates(in: withoutInlineCode(line))
        where key.contains(where: \.isNumber) || defined.contains(key) {
          found.append(Citation(key: key, location: "\(file):\(number)"))
        }
      }
    }
    return found
  }

  @Test func everyCitedKeyIsDefined() throws {
    let defined = Set(try Self.definedKeys())
    let citations = try Self.citations(defined: defined)
    #expect(!citations.isEmpty, "no citation found: the scan is broken")
    let missing = Dictionary(grouping: citations.filter { !defined.contains($0.key) }, by: \.key)
    let report = missing.keys.sorted().map { key in
      let places = missing[key]!.map(\.location)
      return "[\(key)] in \(places.prefix(3).joined(separator: ", "))"
        + (places.count > 3 ? " and \(places.count - 3) more" : "")
    }
    #expect(
      report.isEmpty,
      "cited but not defined in notebooks-md/REFERENCES.md:\n\(report.joined(separator: "\n"))")
  }

  @Test func everyKeyIsDefinedOnce() throws {
    let keys = try Self.definedKeys()
    #expect(keys.count > 10, "REFERENCES.md defines almost nothing: the format changed?")
    let duplicates = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys
    #expect(duplicates.isEmpty, "defined more than once: \(duplicates.sorted())")
  }

  /// The rule itself: real keys are found, code and links are not.
  @Test func ruleFindsKeysAndSkipsCode() {
    #expect(
      Self.candidates(in: "- Source: [FHL2005a] eq. (10); [FH-PNBD-CondPMF]") == [
        "FHL2005a", "FH-PNBD-CondPMF",
      ])
    #expect(Self.candidates(in: "shuffle [K1997, section 3.4.2, Algorithm P].") == ["K1997"])
    #expect(Self.candidates(in: "values[N2] and E[X(t)] and [Notes](notes.md)").isEmpty)
    #expect(Self.candidates(in: Self.withoutInlineCode("plain `[Double]` vectors")).isEmpty)
    let swift = """
      /// Summary [A1974].
      ///
      ///     let x: [Int32] = []
      // Fisher–Yates [K1997, 3.4.2].
      let y = [Z9]
      """
    let lines = Self.swiftCommentLines(swift)
    #expect(lines.map(\.line) == [1, 2, 4])
    #expect(lines.flatMap { Self.candidates(in: $0.text) } == ["A1974", "K1997"])
  }
}
