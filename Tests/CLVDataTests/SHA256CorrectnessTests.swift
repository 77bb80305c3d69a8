import CLVData
import TestSupport
import Testing

/// SHA-256 of bytes and files, against published answers.
@Suite struct SHA256CorrectnessTests {
  /// FIPS 180-4 examples, and the shared data's checksum from datasets/README.md.
  @Test func sha256KnownAnswers() throws {
    #expect(
      SHA256.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // One million 'a' (FIPS 180-2 appendix B.3), fed in uneven pieces across block boundaries.
    var hasher = SHA256()
    let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
    for _ in 0..<1001 { hasher.update(piece) }
    hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000 - 999 * 1001))
    #expect(
      hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    let path = try Fixtures.sharedDataset("CDNOW_master.txt").path
    #expect(
      SHA256.hex(ofFile: path) == "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef"
    )
  }
}
