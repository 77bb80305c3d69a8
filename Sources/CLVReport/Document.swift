/// A report as a list of blocks, rendered to HTML or Markdown from the same content (so that
/// both outputs carry the same tables).
struct Document {
  var title: String
  var subtitle: String
  var blocks: [Block] = []
}

enum Block {
  case heading(level: Int, text: String, anchor: String?)
  case paragraph(String)
  case bullets([String])
  case table(Table)
  /// Charts shown side by side (one or more), each with a short caption.
  case figures([Figure])
  /// A short note in small print (methods, sources).
  case note(String)
}

struct Figure {
  /// File-name stem and element id, e.g. `tracking-1` (unique within the report).
  var name: String
  var chart: any Chart
  var caption: String
}

/// A table with a caption; numeric columns are right-aligned.
struct Table {
  struct Cell {
    var text: String
    var emphasized = false
    init(_ text: String, emphasized: Bool = false) {
      self.text = text
      self.emphasized = emphasized
    }
  }

  var caption: String
  var headers: [String]
  /// Per column: right-aligned (numbers) or not.
  var numeric: [Bool]
  var rows: [[Cell]]
}
