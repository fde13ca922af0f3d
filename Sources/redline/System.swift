#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The executable runs on Linux (Glibc; what CI proves) and on macOS (Darwin). Its files that
// make system calls import whichever C library the platform has; the calls whose names redline's
// own functions shadow (`read`, `write`, `signal`) are reached through `System`, so that no file
// names one platform's module, and what only Linux has (`MAP_POPULATE`) is said here.

// At file scope these names are the C library's; inside `System` they would be its own.
private func cRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func cWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func cSignal(_ number: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (@convention(c) (Int32) -> Void)? {
    signal(number, handler)
}

/// The C library's calls that redline's own `read`, `write` and `signal` shadow.
enum System {
    static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        cRead(descriptor, buffer, count)
    }

    static func write(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        cWrite(descriptor, buffer, count)
    }

    @discardableResult
    static func signal(_ number: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (@convention(c) (Int32) -> Void)? {
        cSignal(number, handler)
    }

    /// Flags of a read-only mapping: on Linux every page is read at once (`MAP_POPULATE`), which
    /// saves the page faults of a large input; macOS has no such flag.
    static var mappingFlags: Int32 {
        #if os(Linux)
        return MAP_PRIVATE | MAP_POPULATE
        #else
        return MAP_PRIVATE
        #endif
    }
}
