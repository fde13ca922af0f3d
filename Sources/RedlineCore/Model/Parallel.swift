import Dispatch
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Work split over the machine's cores, results in order: the same output as doing it in one
/// loop, only sooner. Used where a large run spends seconds (judging hundreds of thousands of
/// metrics, reading the baseline while the current run is read).
///
/// `@inlinable`, like the few other helpers of Model that the layers above call per metric or per
/// byte (`Bytes.withUnsafeBufferPointer`, `Metric.median`, `NumberText.shortest`): a generic or a
/// small function is specialised and inlined in another target only when its body is visible there.
public enum Parallel {
    /// How many threads are worth starting.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(0) ... body(count - 1)`, run concurrently, in index order.
    @inlinable public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        // One piece (a small run) starts no thread at all.
        if count == 1 { return [body(0)] }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in slots.set(index, body(index)) }
        return slots.values()
    }

    /// Work below this many items is done in one piece, on the calling thread.
    public static let threshold = 4_096

    /// `body` over consecutive pieces of `0..<count`, run concurrently, results in piece order:
    /// one piece below `threshold` items, else two per core (or `pieces`, when given).
    @inlinable public static func mapPieces<T: Sendable>(
        over count: Int, pieces requested: Int? = nil,
        _ body: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let pieces = requested ?? (count >= threshold ? cores * 2 : 1)
        let size = (count + pieces - 1) / pieces
        return map(pieces) { piece in body(Swift.min(piece * size, count)..<Swift.min((piece + 1) * size, count)) }
    }

    /// An array of `count` elements made in pieces concurrently, each piece initializing its range
    /// in place through `set(index, element)` (every index of its range, once), so that no piece's
    /// results are held a second time while they are joined. Returns what each piece returned too.
    @inlinable public static func array<T, Extra: Sendable>(
        count: Int, pieces requested: Int? = nil,
        _ body: @Sendable (Range<Int>, _ set: (Int, T) -> Void) -> Extra
    )
        -> (elements: [T], extras: [Extra])
    {
        var extras: [Extra] = []
        let elements = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = Address(buffer.baseAddress)
            extras = mapPieces(over: count, pieces: requested) { range in
                body(range) { index, element in
                    precondition(range.contains(index), "a piece sets only its own elements")
                    (base.pointer! + index).initialize(to: element)
                }
            }
            initialized = count
        }
        return (elements, extras)
    }

    /// Where the elements of `array` go, shared with the pieces that each write their own range.
    @usableFromInline final class Address<T>: @unchecked Sendable {
        @usableFromInline let pointer: UnsafeMutablePointer<T>?
        @inlinable init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
    }

    /// `first()` and `second()` at the same time; the first one's error wins, as if run in order.
    public static func both<A: Sendable, B: Sendable>(
        _ first: @Sendable () throws -> A,
        _ second: @Sendable () throws -> B
    ) throws -> (A, B) {
        let results = map(2) { index -> Either<Result<A, any Error>, Result<B, any Error>> in
            index == 0 ? .first(Result { try first() }) : .second(Result { try second() })
        }
        guard case .first(let a) = results[0], case .second(let b) = results[1] else {
            preconditionFailure("two results")
        }
        return (try a.get(), try b.get())
    }

    enum Either<A: Sendable, B: Sendable>: Sendable {
        case first(A)
        case second(B)
    }

    /// One slot per index, each written by exactly one thread before `concurrentPerform` returns.
    @usableFromInline final class Slots<T: Sendable>: @unchecked Sendable {
        @usableFromInline let storage: UnsafeMutableBufferPointer<T?>

        @inlinable init(_ count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }

        deinit {
            storage.deinitialize()
            storage.deallocate()
        }

        @inlinable func set(_ index: Int, _ value: T) { storage[index] = value }

        @inlinable func values() -> [T] { storage.map { $0! } }
    }
}
