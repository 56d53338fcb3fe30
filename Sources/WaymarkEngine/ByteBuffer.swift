import Foundation
import WaymarkFEEL

/// A growable run of bytes that text is written into: the JSON report, a `because`, an id.
///
/// Written by hand because `[UInt8].append(contentsOf:)` goes through the generic sequence path
/// (about 70 instructions a call before copying a byte, and a report of a million events makes 11
/// million of them for its words, ids and punctuation, 6% of a run's instructions), and because
/// each single-byte append checks that the array's storage is not shared. This buffer is never
/// shared: it cannot be copied (`~Copyable`), so it owns its memory and frees it when it goes.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    // The C library's allocator rather than `UnsafeMutablePointer.allocate`, for `realloc`: a
    // buffer that grows to megabytes (a chunk of the task list, before it is spilled) was copied
    // into new room at each doubling, about 1% of a run's instructions; `realloc` extends it in
    // place where the room after it is free, or moves its pages without copying them.
    init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        guard let memory = malloc(self.capacity) else { fatalError("out of memory for \(self.capacity) bytes") }
        base = memory.bindMemory(to: UInt8.self, capacity: self.capacity)
    }

    deinit { free(base) }

    /// Makes room for `more` bytes after the last, by doubling.
    @inline(never)
    private mutating func grow(_ more: Int) {
        let wanted = Swift.max(capacity * 2, count + more)
        guard let larger = realloc(base, wanted) else { fatalError("out of memory for \(wanted) bytes") }
        base = larger.bindMemory(to: UInt8.self, capacity: wanted)
        capacity = wanted
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if capacity - count < n { grow(n) }
        if n > 0 { (base + count).initialize(from: bytes.baseAddress!, count: n) }
        count += n
    }

    /// Appends the bytes of a value's memory (a `Decimal`'s words, packed).
    @inline(__always)
    mutating func append(raw bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if capacity - count < n { grow(n) }
        if n > 0 { UnsafeMutableRawPointer(base + count).copyMemory(from: bytes.baseAddress!, byteCount: n) }
        count += n
    }

    /// Appends literal text. Its bytes are in the program: a `String` made of it was copied, and its
    /// storage retained and released, for each of the millions of pieces a report writes.
    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `text`, copied from the string's own buffer (appending the `utf8` view as
    /// a sequence was 180 instructions a call). Read in place where the string is native, as nearly
    /// every one is: `withUTF8` needs a mutable copy, a retain and a release of the string each call.
    mutating func write(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) != nil { return }
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends what `body` writes at the pointer it is given, at most `most` bytes, returning how
    /// many it wrote: digits and dates are composed in place this way.
    @inline(__always)
    mutating func appendInPlace(most: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if capacity - count < most { grow(most) }
        count += body(base + count)
    }

    /// Appends `n` in decimal.
    mutating func writeInteger(_ n: Int) {
        guard n >= 0 else { return write(String(n)) }
        // At most 19 digits: written in place, as dates and times are.
        appendInPlace(most: 20) { p in
            var i = 0
            putDigits(n, 1, p, &i)
            return i
        }
    }

    /// Appends `a.b.c`.
    mutating func writePath(_ path: [String]) {
        for (i, part) in path.enumerated() {
            if i > 0 { append(UInt8(ascii: ".")) }
            write(part)
        }
    }

    mutating func removeAll() { count = 0 }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes as an array (to hand on, once the writing is done).
    var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    /// The bytes as text (they are UTF-8 by construction; anything else is repaired).
    var string: String { withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
}
