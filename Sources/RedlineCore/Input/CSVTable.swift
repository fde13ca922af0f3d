import RedlineModel
import RedlineJSON

/// A CSV file as RFC 4180 writes it (JMeter's JTL, Locust's `--csv` files, hey's `-o csv`):
/// fields quoted when they hold a comma, a quote or a line break, quotes inside doubled, LF or
/// CRLF line ends. The first record is the header; every field keeps where it starts, for messages.
struct CSVTable {
    struct Record {
        var fields: [String]
        /// Where each field starts in the file.
        var offsets: [Int]
        /// Where the record starts.
        var offset: Int { offsets[0] }
    }

    let source: SourceText
    let header: Record
    let records: [Record]
    /// The line of the last record, left out because it was cut short (`appendedLineByLine`).
    private(set) var cutLine: Int?

    /// Splits the file into records; a record with another number of fields than the header, or
    /// a quote left open, is an error at its line. Blank lines are skipped. A file that a tool
    /// appends to line by line (`appendedLineByLine`: JMeter's JTL) may end in a record cut short
    /// when the test was stopped mid-write: that last record is left out (`cutLine` says which).
    init(_ source: SourceText, what: String, appendedLineByLine: Bool = false) throws {
        self.source = source
        var records: [Record] = []
        var problem: (offset: Int, message: String)?
        var openQuoteAtEnd: Int?
        source.bytes.withUnsafeBufferPointer { bytes in
            var index = 0
            var field: [UInt8] = []
            var record = Record(fields: [], offsets: [])
            func endField(at start: Int) {
                record.fields.append(String(decoding: field, as: UTF8.self))
                record.offsets.append(start)
                field.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                // A blank line between records is no record.
                if record.fields.isEmpty && (bytes[index] == 0x0A || bytes[index] == 0x0D) {
                    index += 1
                    continue
                }
                let start = index
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    var closed = false
                    while index < bytes.count {
                        if bytes[index] == UInt8(ascii: "\"") {
                            if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                                field.append(UInt8(ascii: "\""))
                                index += 2
                                continue
                            }
                            closed = true
                            index += 1
                            break
                        }
                        field.append(bytes[index])
                        index += 1
                    }
                    if !closed {
                        problem = (start, "a quoted field of \(what) is not closed")
                        openQuoteAtEnd = record.offsets.first ?? start
                        return
                    }
                } else {
                    while index < bytes.count && bytes[index] != UInt8(ascii: ",") && bytes[index] != 0x0A
                        && bytes[index] != 0x0D
                    {
                        field.append(bytes[index])
                        index += 1
                    }
                }
                endField(at: start)
                if index < bytes.count && bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    // A comma at the very end of the file still ends a field: an empty one follows.
                    if index == bytes.count { endField(at: index) }
                    continue
                }
                if index < bytes.count && bytes[index] != 0x0A && bytes[index] != 0x0D {
                    problem = (
                        index, "unexpected \(Character(Unicode.Scalar(bytes[index]))) after a quoted field of \(what)"
                    )
                    return
                }
                records.append(record)
                record = Record(fields: [], offsets: [])
            }
            if !record.fields.isEmpty { records.append(record) }
        }
        // Cut short means on the file's last line: a quote left open further up swallowed real records.
        if appendedLineByLine, let cut = openQuoteAtEnd, !records.isEmpty, !source.bytes[cut...].contains(0x0A) {
            cutLine = source.position(of: cut).line
            problem = nil
        }
        if let problem {
            throw RedlineError(source, at: problem.offset, problem.message, hint: "the file may be truncated")
        }
        // A line cut mid-write has no line end after it; a short line that ends is a broken one.
        if appendedLineByLine, records.count > 1, let last = records.last, last.fields.count < records[0].fields.count,
            source.bytes.last != 0x0A, source.bytes.last != 0x0D
        {
            cutLine = source.position(of: last.offset).line
            records.removeLast()
        }
        guard let header = records.first else {
            throw RedlineError(
                source, at: 0, "\(what) is empty", hint: "expected a header line and one line per record")
        }
        for record in records.dropFirst() where record.fields.count != header.fields.count {
            throw RedlineError(
                source, at: record.offset,
                "this line of \(what) has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), the header has \(header.fields.count)",
                hint: "the file may be truncated, or a field holds a comma without quotes")
        }
        self.header = header
        self.records = Array(records.dropFirst())
    }

    /// The index of the column called `name`, if there is one.
    func column(_ name: String) -> Int? {
        header.fields.firstIndex(of: name)
    }

    /// The index of the column called `name`; an error at the header when there is none.
    func column(_ name: String, of what: String) throws -> Int {
        guard let index = column(name) else {
            throw RedlineError(
                source, at: header.offset, "\(what) has no column \"\(name)\"",
                hint: "the header names the columns; keep the tool's default columns")
        }
        return index
    }

    /// The number in `column` of `record` (`1,234.5` and `1_000` too); an error at the field otherwise.
    func number(_ record: Record, _ column: Int, what: String) throws -> Double {
        guard let value = ToolNumber.parse(record.fields[column]) else {
            throw RedlineError(
                source, at: record.offsets[column],
                "\(what) must be a number, got \"\(record.fields[column].prefix(40))\"")
        }
        return value
    }
}
