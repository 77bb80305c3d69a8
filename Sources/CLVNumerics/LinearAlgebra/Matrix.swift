/// A dense matrix of `Double`, stored **column-major** (LAPACK's native layout):
/// element (i, j) is `elements[i + j * rows]`.
///
/// Vectors are plain `[Double]`. The BLAS/LAPACK operations live in extensions in this folder;
/// every one of them checks LAPACK's `info` and throws ``LinearAlgebraError``.
public struct Matrix: Equatable, Sendable {
  public let rows: Int
  public let columns: Int
  /// Column-major storage, `rows * columns` values.
  public var elements: [Double]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = Array(repeating: value, count: rows * columns)
  }

  /// A matrix from column-major `elements`.
  public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
    precondition(elements.count == rows * columns, "expected \(rows * columns) elements")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// A matrix from a list of rows (convenient in tests and small literals).
  public init(_ rowList: [[Double]]) {
    let rows = rowList.count
    let columns = rowList.first?.count ?? 0
    precondition(rowList.allSatisfy { $0.count == columns }, "rows must have equal length")
    self.init(rows: rows, columns: columns)
    for i in 0..<rows {
      for j in 0..<columns { self[i, j] = rowList[i][j] }
    }
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { elements[row + column * rows] }
    set { elements[row + column * rows] = newValue }
  }

  public var isSquare: Bool { rows == columns }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns {
      for i in 0..<rows { t[j, i] = self[i, j] }
    }
    return t
  }

  /// The main diagonal.
  public var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }
}
