#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The one file of the library that names the C library (Glibc on Linux, Darwin on macOS): the
// arithmetic the standard library lacks, exact number parsing past the reader's fast path,
// printf-style formatting without loading all of Foundation, and comparing bytes.

private func cErfc(_ x: Double) -> Double { erfc(x) }
private func cLog10(_ x: Double) -> Double { log10(x) }
private func cLogGamma(_ x: Double) -> Double { lgamma(x) }
private func cExp(_ x: Double) -> Double { exp(x) }
private func cLog(_ x: Double) -> Double { log(x) }
private func cLog2(_ x: Double) -> Double { log2(x) }
private func cExp2(_ x: Double) -> Double { exp2(x) }
private func cStrtod(_ text: UnsafePointer<CChar>) -> Double { strtod(text, nil) }
private func cMemcmp(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Int32 { memcmp(a, b, count) }
private func cFormat(_ buffer: UnsafeMutablePointer<CChar>, _ size: Int, _ format: String, _ list: CVaListPointer)
    -> Int32
{
    vsnprintf(buffer, size, format, list)
}

/// The C library's functions the library uses.
package enum CLibrary {
    /// The complementary error function, for normal tail probabilities.
    static func complementaryError(_ x: Double) -> Double { cErfc(x) }

    /// The natural logarithm of the gamma function, for the t distribution.
    package static func logGamma(_ x: Double) -> Double { cLogGamma(x) }

    /// e to the power x.
    package static func exponential(_ x: Double) -> Double { cExp(x) }

    /// The natural logarithm.
    package static func logarithm(_ x: Double) -> Double { cLog(x) }

    /// The base-10 logarithm.
    package static func decimalLogarithm(_ x: Double) -> Double { cLog10(x) }

    /// The base-2 logarithm.
    package static func binaryLogarithm(_ x: Double) -> Double { cLog2(x) }

    /// 2 to the power `x`.
    package static func powerOfTwo(_ x: Double) -> Double { cExp2(x) }

    /// The number a NUL-terminated decimal text stands for, correctly rounded.
    package static func parseDouble(_ text: UnsafePointer<CChar>) -> Double { cStrtod(text) }

    /// Whether `count` bytes at `a` and `b` are equal.
    package static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        cMemcmp(a, b, count) == 0
    }

    /// `format` applied to `arguments`, as C's `snprintf` writes it.
    static func format(_ format: String, _ arguments: [any CVarArg]) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(cFormat(&buffer, buffer.count, format, list))
            if needed >= buffer.count {
                buffer = [CChar](repeating: 0, count: needed + 1)
                return withVaList(arguments) { again in
                    _ = cFormat(&buffer, buffer.count, format, again)
                    return String(decoding: buffer.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
            return String(decoding: buffer.prefix(max(needed, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
