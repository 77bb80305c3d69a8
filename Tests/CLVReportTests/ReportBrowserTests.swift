import CLVEvaluation
import CLVScoring
import Foundation
import TestSupport
import Testing

@testable import CLVReport

/// Renders the report of two runs in headless Chromium and checks the screenshot.
///
/// Skipped, with a message, only when no Chromium binary exists; CI installs Debian's
/// `chromium` (`.ci/run`), so there it always runs. Set `CLVKIT_SCREENSHOT_DIR` to keep the
/// HTML and the PNG for a look.
@Suite struct ReportBrowserTests {
  static let chromium: String? = {
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      for name in names {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    return nil
  }()

  /// Renders `html` in headless Chromium, 1280 px wide and up to `height` px tall, and returns
  /// the screenshot (kept as `name.html` and `name.png` in `CLVKIT_SCREENSHOT_DIR` when set).
  static func screenshot(of html: String, name: String, height: Int = 10000) throws -> TinyPNG {
    let folder: URL
    if let keep = ProcessInfo.processInfo.environment["CLVKIT_SCREENSHOT_DIR"] {
      folder = URL(fileURLWithPath: keep)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } else {
      folder = try Fixtures.temporaryDirectory()
    }
    let htmlURL = folder.appendingPathComponent("\(name).html")
    let pngURL = folder.appendingPathComponent("\(name).png")
    try? FileManager.default.removeItem(at: pngURL)
    try html.write(to: htmlURL, atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium!)
    let profile = folder.appendingPathComponent("profile-\(name)")
    process.arguments = [
      "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
      "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile.path)",
      "--screenshot=\(pngURL.path)", "--window-size=1280,\(height)", htmlURL.absoluteString,
    ]
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "chromium failed: \(stderr.suffix(2000))")
    let bytes = try [UInt8](Data(contentsOf: pngURL))
    let png = try TinyPNG(bytes)
    #expect(png.width == 1280)
    return png
  }

  @Test(
    .enabled(if: chromium != nil, "no chromium binary on PATH: install Debian's chromium"),
    .timeLimit(.minutes(2)))
  func reportOfTwoRunsRendersEveryChart() throws {
    let png = try Self.screenshot(of: ReportHTMLTests.twoRuns().html(), name: "report")

    // Not blank: many non-white pixels, and many distinct colours (text antialiasing, charts).
    // Every other pixel in both directions: bars and lines are wider than 2 px, and a debug
    // build decodes 2 M pixels in a few seconds.
    var nonWhite = 0
    var colours = Set<UInt32>()
    var seen: [String: Int] = [:]
    let wanted: [String: (UInt8, UInt8, UInt8)] = [
      "blue": (0x00, 0x72, 0xB2), "vermillion": (0xD5, 0x5E, 0x00),
      "bluish green": (0x00, 0x9E, 0x73), "orange": (0xE6, 0x9F, 0x00),
      "actual grey": (0x4D, 0x4D, 0x4D),
    ]
    let names = wanted.keys.sorted()
    let keys = names.map { name in
      let (r, g, b) = wanted[name]!
      return UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
    }
    var counts = [Int](repeating: 0, count: keys.count)
    var sampled = 0
    for y in stride(from: 0, to: png.height, by: 2) {
      for x in stride(from: 0, to: png.width, by: 2) {
        let (r, g, b) = png.rgb(x, y)
        sampled += 1
        if r < 240 || g < 240 || b < 240 { nonWhite += 1 }
        let key = UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        if colours.count < 10_000 { colours.insert(key) }
        for index in keys.indices where keys[index] == key { counts[index] += 1 }
      }
    }
    for (name, count) in zip(names, counts) { seen[name] = count }
    let share = Double(nonWhite) / Double(sampled)
    // The whole page is in the shot: its last rows are the page background (#F6F6F4), so
    // every chart above them was rendered.
    let lastRow = png.height - 1
    let background = (0..<png.width).allSatisfy { x in
      let (r, g, b) = png.rgb(x, lastRow)
      return (r, g, b) == (0xF6, 0xF6, 0xF4)
    }
    #expect(background, "the report is longer than the 10,000-px window; enlarge it")
    #expect(share > 0.05, "only \(share) of the screenshot is not white")
    #expect(colours.count > 200, "only \(colours.count) distinct colours")
    // Bars and legends fill areas with the palette's exact colours: one per model (BG/NBD,
    // Pareto/NBD, churn-logit), orange for the P(alive) non-buyers, grey for actual bars.
    for name in wanted.keys.sorted() {
      #expect(
        seen[name, default: 0] > 25, "colour \(name) barely visible: \(seen[name, default: 0]) px")
    }
  }

  /// The last row of `png` that is not the page background (#F6F6F4) all across.
  static func lastContentRow(_ png: TinyPNG) -> Int {
    for y in stride(from: png.height - 1, through: 0, by: -1) {
      for x in stride(from: 0, to: png.width, by: 2) where png.rgb(x, y) != (0xF6, 0xF6, 0xF4) {
        return y
      }
    }
    return 0
  }

  /// The Campaigns and Cohorts sections render: the page grows by them, and below the plain
  /// page's end the screenshot shows the campaign bars (blue) and the retention triangle's
  /// cells (the viridis colours of its values), and the predicted-economics bars (vermillion
  /// CAC, green first-order profit).
  @Test(
    .enabled(if: chromium != nil, "no chromium binary on PATH: install Debian's chromium"),
    .timeLimit(.minutes(3)))
  func campaignsAndCohortsRender() throws {
    let base = ComparisonReport([.init(file: "run.json", run: SyntheticRun.make())])
    var full = base
    full.campaigns = [
      .init(file: "readout.json", readout: try ReportCampaignConsistencyTests.readout())
    ]
    let costs = AcquisitionCosts(file: "cac.csv", key: .cohort, costs: ["2024-01": 15])
    full.cohorts = .init(
      file: "cohorts.csv",
      table: ReportCohortsConsistencyTests.table(
        costs: costs, scores: ReportCohortsConsistencyTests.scores()))
    let plain = try Self.screenshot(of: base.html(), name: "report-plain")
    let shot = try Self.screenshot(of: full.html(), name: "report-campaigns-cohorts", height: 16000)
    let plainEnd = Self.lastContentRow(plain)
    let fullEnd = Self.lastContentRow(shot)
    #expect(fullEnd < shot.height - 1, "the report is longer than the window; enlarge it")
    // Two tables, a 320-px bar chart, a heat map, a 400-px line chart, a table, a 400-px bar
    // chart and a table at least.
    #expect(fullEnd - plainEnd > 1800, "the page grew by \(fullEnd - plainEnd) px only")
    // The triangle's colours: the viridis colour of every cell's value.
    let table = ReportCohortsConsistencyTests.table(costs: costs)
    let rates = table.cohorts.flatMap { $0.cells.map { $0.repeatRate * 100 } }
    let (low, high) = (rates.min()!, rates.max()!)
    var triangle = Set<UInt32>()
    for rate in rates {
      let colour = HeatMap.viridis((rate - low) / (high - low))
      triangle.insert(UInt32(colour.red) << 16 | UInt32(colour.green) << 8 | UInt32(colour.blue))
    }
    let blue = Palette.series[0]
    let blueKey = UInt32(blue.red) << 16 | UInt32(blue.green) << 8 | UInt32(blue.blue)
    let (red, green) = (Palette.series[1], Palette.series[2])
    let redKey = UInt32(red.red) << 16 | UInt32(red.green) << 8 | UInt32(red.blue)
    let greenKey = UInt32(green.red) << 16 | UInt32(green.green) << 8 | UInt32(green.blue)
    var (cellPixels, bluePixels, seen) = (0, 0, Set<UInt32>())
    var (redPixels, greenPixels) = (0, 0)
    // Below the plain page's content (less its closing note): the new sections only.
    for y in stride(from: max(0, plainEnd - 200), to: fullEnd, by: 2) {
      for x in stride(from: 0, to: shot.width, by: 2) {
        let (r, g, b) = shot.rgb(x, y)
        let key = UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        if triangle.contains(key) {
          cellPixels += 1
          seen.insert(key)
        }
        if key == blueKey { bluePixels += 1 }
        if key == redKey { redPixels += 1 }
        if key == greenKey { greenPixels += 1 }
      }
    }
    #expect(bluePixels > 200, "campaign bars barely visible: \(bluePixels) px")
    #expect(cellPixels > 2000, "retention triangle barely visible: \(cellPixels) px")
    #expect(seen.count >= min(triangle.count, 8), "only \(seen.count) triangle colours")
    #expect(redPixels > 200, "CAC bars barely visible: \(redPixels) px")
    #expect(greenPixels > 200, "first-order profit bars barely visible: \(greenPixels) px")
  }

  /// The number of pixels of `colour` in every other row and column of `png`.
  static func count(_ colour: Color, in png: TinyPNG) -> Int {
    var count = 0
    for y in stride(from: 0, to: png.height, by: 2) {
      for x in stride(from: 0, to: png.width, by: 2)
      where png.rgb(x, y) == (colour.red, colour.green, colour.blue) {
        count += 1
      }
    }
    return count
  }

  /// The Covariates section renders: the page grows by its two tables and its bar chart, whose
  /// grey (without covariates) and blue (with covariates) bars add pixels of those colours.
  @Test(
    .enabled(if: chromium != nil, "no chromium binary on PATH: install Debian's chromium"),
    .timeLimit(.minutes(3)))
  func covariatesSectionRenders() throws {
    let plain = try Self.screenshot(
      of: ComparisonReport([.init(file: "run.json", run: SyntheticRun.make(run: "with-covariates"))]
      )
      .html(), name: "report-no-covariates")
    let shot = try Self.screenshot(
      of: ComparisonReport([.init(file: "run.json", run: ReportCovariatesConsistencyTests.run())])
        .html(), name: "report-covariates")
    let plainEnd = Self.lastContentRow(plain)
    let fullEnd = Self.lastContentRow(shot)
    #expect(fullEnd < shot.height - 1, "the report is longer than the window; enlarge it")
    // Two tables and a 320-px bar chart at least.
    #expect(fullEnd - plainEnd > 500, "the page grew by \(fullEnd - plainEnd) px only")
    let grey =
      Self.count(ComparisonReport.actualBars, in: shot)
      - Self.count(ComparisonReport.actualBars, in: plain)
    let blue = Self.count(Palette.series[0], in: shot) - Self.count(Palette.series[0], in: plain)
    #expect(grey > 200, "bars without covariates barely visible: \(grey) px")
    #expect(blue > 200, "bars with covariates barely visible: \(blue) px")
  }
}
