/// Numbers as text, for every layer: the shortest form that reads back exactly, and C's printf.
public enum NumberText {
    /// The shortest text that reads back as exactly `value` (finite): integers without a
    /// fraction, others as Swift's shortest round-trip form.
    @inlinable public static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }
}

/// printf-style formatting through the C library (`String(format:)` needs all of Foundation, whose
/// load is most of a small gate's run time).
public enum CFormat {
    /// `format` applied to `arguments`, as C's `snprintf` writes it.
    public static func string(_ format: String, _ arguments: any CVarArg...) -> String {
        CLibrary.format(format, arguments)
    }
}
