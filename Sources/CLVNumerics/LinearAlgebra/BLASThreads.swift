import CLAPACK

/// The number of threads OpenBLAS uses for one BLAS/LAPACK call.
///
/// OpenBLAS starts one thread per core. When clvkit runs its own parallel work (one fit per
/// core, say), call `BLASThreads.set(1)` once at start-up so the two levels do not oversubscribe
/// the machine. The matrices in clvkit are small (p × p with p ≈ 4 … 50), where threading does
/// not pay anyway.
public enum BLASThreads {
  /// Sets the OpenBLAS thread count (`openblas_set_num_threads`); values below 1 mean 1.
  public static func set(_ count: Int) {
    openblas_set_num_threads(Int32(clamping: Swift.max(1, count)))
  }
}
