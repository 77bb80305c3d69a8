import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Chunked data parallelism over an index range (DispatchQueue.concurrentPerform).
public enum Parallel {
  /// About 4 chunks per core, at least 4,096 items each (below that, threads cost more).
  public static func chunks(count: Int, minimumChunk: Int = 4096) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    let size = max(minimumChunk, (count + 4 * cores - 1) / (4 * cores))
    return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
  }

  /// Runs `body(chunkIndex, range)` for every chunk, concurrently; returns when all are done.
  public static func forEach(_ chunks: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
    if chunks.count <= 1 {
      for (index, range) in chunks.enumerated() { body(index, range) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
        box.value(index, chunks[index])
      }
    }
  }

  /// A pointer shared by chunks that write disjoint slots.
  public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>?
    public init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
  }

  public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
  }

  /// One error slot per chunk (each chunk writes only its own slot); `first` is the error of
  /// the lowest chunk, so the reported error does not depend on thread timing.
  public final class ErrorSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Error?>
    private let count: Int
    public init(count: Int) {
      self.count = count
      slots = .allocate(capacity: max(count, 1))
      slots.initialize(repeating: nil, count: max(count, 1))
    }
    deinit {
      slots.deinitialize(count: max(count, 1))
      slots.deallocate()
    }
    public func record(_ error: Error, chunk: Int) { slots[chunk] = error }
    public var first: Error? {
      for i in 0..<count { if let error = slots[i] { return error } }
      return nil
    }
  }

  /// One result slot per chunk; each chunk writes only its own.
  public final class Slots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int
    public init(count: Int) {
      self.count = count
      slots = .allocate(capacity: max(count, 1))
      slots.initialize(repeating: nil, count: max(count, 1))
    }
    deinit {
      slots.deinitialize(count: max(count, 1))
      slots.deallocate()
    }
    public subscript(index: Int) -> T? {
      get { slots[index] }
      set { slots[index] = newValue }
    }
    /// The filled slots, in chunk order.
    public var values: [T] { (0..<count).compactMap { slots[$0] } }
  }
}
