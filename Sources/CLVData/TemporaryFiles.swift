#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of ``AtomicOutput``: their names, their removal when the process is
/// stopped by a signal, and the removal of those left behind by processes that were killed.
///
/// A temporary file is named `.NAME.tmp-PID-RANDOM` beside its target `NAME`, where `PID` is
/// the writing process and `RANDOM` 16 hexadecimal digits from the system's random source, so
/// that its name cannot be predicted (a link planted at a guessed name is never followed: the
/// file is created with `O_CREAT | O_EXCL | O_NOFOLLOW`).
///
/// - On SIGTERM, SIGINT and SIGHUP (what `timeout`, Ctrl-C, systemd and a closed terminal
///   send), once ``removeOnSignals()`` has been called, the handler removes every live
///   temporary file, then lets the signal end the process as it would have (the shell reports
///   status 128 + the signal's number: 143, 130, 129).
/// - SIGKILL cannot be caught: the next ``AtomicOutput`` into the same folder removes the
///   temporary files whose process no longer exists (`kill(pid, 0)` fails with `ESRCH`). Files
///   of other users and of live processes are left alone. Processes in another PID namespace
///   writing into the same folder (containers sharing a volume) cannot be told apart from dead
///   ones; do not share an output folder between such processes.
public enum TemporaryFiles {
  /// At most this many temporary files are removed by the signal handler; more are still
  /// written correctly and removed by the next run's clean-up.
  static let capacity = 256

  /// Slots holding C strings of the live temporary paths. The handler only reads them and calls
  /// `unlink` (async-signal-safe). A released path is not freed, so that a handler running on
  /// another thread never reads freed memory (a few hundred bytes per output file).
  nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    slots.initialize(repeating: nil, count: capacity)
    return slots
  }()
  nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
    let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    lock.initialize(to: pthread_mutex_t())
    pthread_mutex_init(lock, nil)
    return lock
  }()

  /// Installs handlers for SIGTERM, SIGINT and SIGHUP that remove the live temporary files and
  /// then re-raise the signal with its default action. A signal the process was started with
  /// ignored stays ignored (`nohup`); the three signals are unblocked in the calling thread (a
  /// parent that spawned from a thread with signals blocked passes its mask on). Call once at
  /// start-up, before starting threads (the `clv` command does); a library user that handles
  /// these signals itself should not.
  public static func removeOnSignals() {
    _ = slots
    _ = lock
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in [SIGTERM, SIGINT, SIGHUP] {
      var current = sigaction()
      sigaction(signal, nil, &current)
      #if canImport(Glibc)
      let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1
      #else
      let ignored = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == 1
      #endif
      if ignored { continue }  // SIG_IGN
      sigaddset(&unblock, signal)
      var action = sigaction()
      #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = removeAndReraise
      #else
      action.__sigaction_u.__sa_handler = removeAndReraise
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      sigaction(signal, &action, nil)
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
  }

  /// Records a live temporary file; returns its slot (nil when all slots are taken).
  static func register(_ path: String) -> Int? {
    guard let copy = strdup(path) else { return nil }
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    for index in 0..<capacity where slots[index] == nil {
      slots[index] = copy
      return index
    }
    free(copy)
    return nil
  }

  /// Forgets a temporary file (after it was renamed into place or removed).
  static func release(_ slot: Int?) {
    guard let slot else { return }
    pthread_mutex_lock(lock)
    slots[slot] = nil  // the string is deliberately not freed (see `slots`)
    pthread_mutex_unlock(lock)
  }

  /// The temporary path for `name` in `folder` (`""` for the current folder).
  static func temporaryPath(folder: String, name: String) -> String {
    var random = SystemRandomNumberGenerator()
    var suffix = String(random.next(), radix: 16)
    suffix = String(repeating: "0", count: 16 - suffix.count) + suffix
    return (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())-\(suffix)"
  }

  /// The process id encoded in a temporary file's name, or nil when `name` is not one of ours:
  /// `.NAME.tmp-PID-RANDOM`, or `.NAME.tmp-PID` as written by clvkit 0.1.
  static func writerProcess(ofTemporaryName name: String) -> pid_t? {
    let bytes = Array(name.utf8)
    let marker = Array(".tmp-".utf8)
    guard bytes.first == UInt8(ascii: "."), bytes.count > marker.count + 2 else { return nil }
    var start: Int?
    for index in stride(from: bytes.count - marker.count, through: 1, by: -1)
    where bytes[index..<index + marker.count].elementsEqual(marker) {
      start = index + marker.count
      break
    }
    guard let start else { return nil }
    let rest = String(decoding: bytes[start...], as: UTF8.self)
    let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2, let pid = pid_t(parts[0]), pid > 0 else {
      return nil
    }
    if parts.count == 2 {
      let random = parts[1]
      guard random.count == 16, random.allSatisfy(\.isHexDigit) else { return nil }
    }
    return pid
  }

  /// Removes the temporary files in `folder` left by processes that no longer exist and were
  /// run by this user. Errors are ignored: this is housekeeping, never a reason to fail.
  /// - Returns: The names removed.
  @discardableResult
  public static func removeStale(in folder: String) -> [String] {
    guard let directory = opendir(folder.isEmpty ? "." : folder) else { return [] }
    defer { closedir(directory) }
    var removed: [String] = []
    let prefix = folder.isEmpty ? "" : folder + "/"
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard let pid = writerProcess(ofTemporaryName: name), pid != getpid() else { continue }
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }  // alive, or not ours to see
      var info = stat()
      guard lstat(prefix + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
        info.st_uid == getuid()
      else { continue }
      if unlink(prefix + name) == 0 { removed.append(name) }
    }
    return removed
  }
}

/// The signal handler: async-signal-safe calls only (unlink, signal, raise).
private func removeAndReraise(_ number: Int32) {
  let slots = TemporaryFiles.slots
  for index in 0..<TemporaryFiles.capacity {
    if let path = slots[index] { unlink(path) }
  }
  signal(number, SIG_DFL)
  raise(number)
}
