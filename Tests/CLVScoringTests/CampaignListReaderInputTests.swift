import CLVData
import CLVScoring
import Testing

/// Reading campaign lists: the groups, and errors with file, line and column.
@Suite struct CampaignListReaderInputTests {
  func parse(_ text: String) throws -> [CampaignListReader.Row] {
    try CampaignListReader.parse(Array(text.utf8), file: "list.csv")
  }

  @Test func readsIdsAndGroupsAndRestoresNeutralizedIds() throws {
    let rows = try parse("rank,customer_id,group\n1,a,treatment\n2,'=b,control\n3,'c,control\n")
    #expect(
      rows == [
        .init(customerID: "a", group: .treatment), .init(customerID: "=b", group: .control),
        // 'c is not a neutralized formula ('c' is not formula-like): kept as written.
        .init(customerID: "'c", group: .control),
      ])
  }

  @Test func errorsNameFileLineAndColumn() {
    let cases: [(String, String)] = [
      ("customer_id\na\n", "list.csv:1: no 'group' column in the header"),
      ("customer_id,group\na,sent\n", "list.csv:2: column 'group': cannot parse 'sent'"),
      (
        "customer_id,group\na,control\na,treatment\n",
        "list.csv:3: customer 'a' is on the list twice"
      ),
    ]
    for (text, prefix) in cases {
      do {
        _ = try parse(text)
        Issue.record("no error for \(text)")
      } catch let error as DataError {
        #expect(error.description.hasPrefix(prefix), "\(error.description)")
        #expect(error.exitCode == 65)
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
  }
}
