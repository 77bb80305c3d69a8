import CLAPACK

// Internal helpers shared by the BLAS/LAPACK wrappers of this folder: index conversion and the
// mapping of LAPACK's `info` to ``LinearAlgebraError``.

/// `n` as the integer type a CBLAS/LAPACKE argument expects (32-bit in Debian's builds).
///
/// - Throws: ``LinearAlgebraError/dimensionMismatch(_:)`` when `n` does not fit that type.
@inline(__always)
func blasIndex<T: FixedWidthInteger>(_ n: Int, _ routine: String) throws -> T {
  guard let value = T(exactly: n) else {
    throw LinearAlgebraError.dimensionMismatch(
      "\(routine): dimension \(n) exceeds the \(T.bitWidth)-bit BLAS/LAPACK index range")
  }
  return value
}

/// The leading dimension of a column-major array with `rows` rows (LAPACK requires ≥ 1).
@inline(__always)
func leadingDimension<T: FixedWidthInteger>(_ rows: Int, _ routine: String) throws -> T {
  try blasIndex(Swift.max(1, rows), routine)
}

/// Throws unless LAPACK's `info` is 0.
///
/// `info < 0`: argument `-info` was illegal (LAPACKE also reports a NaN in an input matrix this
/// way). `info > 0`: the meaning depends on the routine, given by `positive`.
@inline(__always)
func checkInfo<I: BinaryInteger>(
  _ info: I, _ routine: String, positive: (Int) -> LinearAlgebraError
) throws {
  let code = Int(info)
  if code < 0 { throw LinearAlgebraError.invalidArgument(routine: routine, position: -code) }
  if code > 0 { throw positive(code) }
}

/// The character argument LAPACKE expects ("L", "N", …).
@inline(__always)
func lapackFlag(_ ascii: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: ascii)) }

extension Matrix {
  /// Copies the lower triangle of a square matrix into its upper triangle (LAPACK's symmetric
  /// routines write one triangle only).
  mutating func mirrorLowerToUpper() {
    let n = rows
    elements.withUnsafeMutableBufferPointer { a in
      for j in 0..<n {
        for i in 0..<j { a[i + j * n] = a[j + i * n] }
      }
    }
  }

  /// Copies the upper triangle of a square matrix into its lower triangle.
  mutating func mirrorUpperToLower() {
    let n = rows
    elements.withUnsafeMutableBufferPointer { a in
      for j in 0..<n {
        for i in (j + 1)..<Swift.max(j + 1, n) { a[i + j * n] = a[j + i * n] }
      }
    }
  }
}
