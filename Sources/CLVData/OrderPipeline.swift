#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsed orders on their way from the reading thread to the aggregating thread: customer keys
/// (ids of up to 16 bytes inline; longer ids in `arena`), days and amounts, in file order.
final class OrderBatch: @unchecked Sendable {
  static let capacity = 4096
  let keys = UnsafeMutablePointer<CustomerTable<CustomerState>.ShortKey>.allocate(
    capacity: capacity)
  let days = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
  let amounts = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
  var count = 0
  /// Ids longer than 16 bytes; their key has `key0` = offset here and `hash` = 0.
  var arena: [UInt8] = []

  deinit {
    keys.deallocate()
    days.deallocate()
    amounts.deallocate()
  }

  var isFull: Bool { count == OrderBatch.capacity }
}

/// Applies order batches to the customer table, on a second thread when the machine has more
/// than one processor: reading and parsing (one thread) overlap with the table lookups, which
/// wait on memory (the other). Batches are applied strictly in the order submitted, so results
/// are the same as with one thread.
final class OrderPipeline: @unchecked Sendable {
  private let apply: (OrderBatch) -> Void
  private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var full: [OrderBatch] = []  // FIFO, guarded by `lock`
  private var free: [OrderBatch] = []  // guarded by `lock`
  private var closing = false  // guarded by `lock`
  private var threaded = false
  #if canImport(Glibc)
  private var thread = pthread_t()
  #endif

  /// - Parameter apply: called with each batch, in order (on the second thread if any).
  init(apply: @escaping (OrderBatch) -> Void) {
    self.apply = apply
    pthread_mutex_init(lock, nil)
    pthread_cond_init(changed, nil)
    free = (0..<4).map { _ in OrderBatch() }
    #if canImport(Glibc)
    if sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 {
      let context = Unmanaged.passUnretained(self).toOpaque()
      threaded =
        pthread_create(
          &thread, nil,
          { context in
            Unmanaged<OrderPipeline>.fromOpaque(context!).takeUnretainedValue().run()
            return nil
          }, context) == 0
    }
    #endif
  }

  deinit {
    finish()
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(lock)
    lock.deallocate()
    changed.deallocate()
  }

  /// An empty batch to fill.
  func emptyBatch() -> OrderBatch {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    return free.removeLast()
  }

  /// Hands over a filled batch and returns an empty one.
  func submit(_ batch: OrderBatch) -> OrderBatch {
    guard threaded else {
      apply(batch)
      batch.count = 0
      batch.arena.removeAll(keepingCapacity: true)
      return batch
    }
    pthread_mutex_lock(lock)
    full.append(batch)
    pthread_cond_broadcast(changed)
    while free.isEmpty { pthread_cond_wait(changed, lock) }
    let empty = free.removeLast()
    pthread_mutex_unlock(lock)
    return empty
  }

  /// Waits until every submitted batch is applied and stops the second thread. Idempotent.
  func finish() {
    guard threaded else { return }
    pthread_mutex_lock(lock)
    closing = true
    pthread_cond_broadcast(changed)
    pthread_mutex_unlock(lock)
    #if canImport(Glibc)
    pthread_join(thread, nil)
    #endif
    threaded = false
  }

  private func run() {
    pthread_mutex_lock(lock)
    while true {
      while full.isEmpty && !closing { pthread_cond_wait(changed, lock) }
      if full.isEmpty { break }
      let batch = full.removeFirst()
      pthread_mutex_unlock(lock)
      apply(batch)
      batch.count = 0
      batch.arena.removeAll(keepingCapacity: true)
      pthread_mutex_lock(lock)
      free.append(batch)
      pthread_cond_broadcast(changed)
    }
    pthread_mutex_unlock(lock)
  }
}

/// Runs `work` on a second thread (when there is more than one processor; else right away on
/// the calling thread) until ``join()``.
final class BackgroundThread: @unchecked Sendable {
  private let work: () -> Void
  private var running = false
  #if canImport(Glibc)
  private var thread = pthread_t()
  #endif

  init(_ work: @escaping () -> Void) {
    self.work = work
    #if canImport(Glibc)
    if sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 {
      let context = Unmanaged.passUnretained(self).toOpaque()
      running =
        pthread_create(
          &thread, nil,
          { context in
            Unmanaged<BackgroundThread>.fromOpaque(context!).takeUnretainedValue().work()
            return nil
          }, context) == 0
    }
    #endif
    if !running { work() }
  }

  /// Waits for `work` to end. Idempotent.
  func join() {
    #if canImport(Glibc)
    if running { pthread_join(thread, nil) }
    #endif
    running = false
  }

  deinit { join() }
}
