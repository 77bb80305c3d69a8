import CLVData
import Testing

/// Subscriber data (`clv train/score` with sBG, BdW): each bad layout fails with one line naming
/// the file, the line, the column and the value (``DataError``, exit 65).
@Suite struct SubscriberDataInputTests {
  func failure(_ text: String) -> DataError? {
    do {
      _ = try SubscriberData.parse(Array(text.utf8), file: "subs.csv")
      return nil
    } catch let error as DataError {
      return error
    } catch {
      return nil
    }
  }

  @Test func readsBothLayouts() throws {
    let subscribers = try SubscriberData.parse(
      Array("customer_id,start_period,end_period,plan\na,1,4,x\n\"b,2\",2,,y\n".utf8),
      file: "subs.csv")
    #expect(subscribers.layout == .subscribers)
    #expect(
      subscribers.subscribers.map(\.customerID) == ["a", "b,2"]
        && subscribers.subscribers.map(\.end) == [4, nil])
    let durations = try subscribers.durations()
    #expect(durations.lifetimes == [3: 1] && durations.censored == [2: 1])
    let cohort = try SubscriberData.parse(
      Array("period,alive\n0,10\n1,6\n2,5\n".utf8), file: "c.csv")
    #expect(cohort.layout == .cohort && cohort.lastPeriod == 2)
    #expect(
      try cohort.durations(asOf: 1)
        == {
          var d = ContractDurations()
          d.add(lifetime: 1, count: 4)
          d.add(censoredAt: 1, count: 6)
          return d
        }())
  }

  @Test func rejectsBadLayoutsWithFileLineColumnAndValue() {
    let cases: [(String, String)] = [
      ("id,start\n1,2\n", "subs.csv:1: the header 'id,start' is not subscriber data"),
      (
        "customer_id,start_period,end_period\na,x1,\n",
        "subs.csv:2: column 'start_period': cannot parse 'x1' as a whole number"
      ),
      (
        "customer_id,start_period,end_period\na,1,1.5\n",
        "subs.csv:2: column 'end_period': cannot parse '1.5' as a whole number of periods"
      ),
      (
        "customer_id,start_period,end_period\na,3,3\n",
        "subs.csv:2: column 'end_period': '3' is not after start_period 3"
      ),
      (
        "customer_id,start_period,end_period\na,1,\nb,1,\na,2,\n",
        "subs.csv:4: column 'customer_id': 'a' appears twice (first on line 2)"
      ),
      (
        "customer_id,start_period,end_period\n,1,\n",
        "subs.csv:2: column 'customer_id': cannot parse '' as a customer id"
      ),
      ("customer_id,start_period,end_period\na,1\n", "subs.csv:2: 2 fields, expected 3"),
      ("customer_id,start_period,end_period\n", "subs.csv: has a header but no subscriber"),
      ("period,alive\n0,10\n2,5\n", "subs.csv:3: column 'period': '2' breaks the sequence"),
      ("period,alive\n0,10\n1,11\n", "subs.csv:3: column 'alive': '11' is more than period 0's 10"),
      ("period,alive\n0,10\n1,-1\n", "subs.csv:3: column 'alive': '-1' is negative"),
      ("period,alive\n0,0\n1,0\n", "subs.csv:2: column 'alive': '0' is the cohort's size"),
      ("period,alive\n0,10\n", "subs.csv: needs the counts of period 0 and at least one later"),
      ("", "subs.csv: is empty"),
    ]
    for (text, message) in cases {
      let error = failure(text)
      #expect(error != nil, "\(text) is rejected")
      #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "nil")")
      #expect(error?.exitCode == 65 || error == nil)
    }
  }

  @Test func asOfBeforeTheDataIsAnError() throws {
    let data = try SubscriberData.parse(
      Array("customer_id,start_period,end_period\na,5,\n".utf8), file: "subs.csv")
    #expect(throws: DataError.self) { try data.durations(asOf: 4) }
    let cohort = try SubscriberData.parse(Array("period,alive\n0,10\n1,6\n".utf8), file: "c.csv")
    #expect(throws: DataError.self) { try cohort.durations(asOf: 0) }
  }
}
