/// Writes the decimal digits of `n` (not negative), padded with zeros to at least `width`, at
/// `p + i`, moving `i` past them: dates, times and numbers written in place, by FEEL's `string()`
/// and by the engine's report writers.
// Inlinable: the engine's report writers call it a few times for each moment they write.
@inlinable @inline(__always)
package func putDigits(_ n: Int, _ width: Int, _ p: UnsafeMutablePointer<UInt8>, _ i: inout Int) {
    var digits = 1
    var rest = n
    while rest >= 10 {
        rest /= 10
        digits += 1
    }
    let end = i + Swift.max(width, digits)
    var value = n
    var k = end
    while k > i {
        k -= 1
        p[k] = UInt8(ascii: "0") + UInt8(value % 10)
        value /= 10
    }
    i = end
}

/// Writes `n` (0 to 99) as two digits at `p + i`, moving `i` past them: what ``putDigits(_:_:_:_:)``
/// writes for it with a width of 2, without counting digits first (months, days, hours, minutes and
/// seconds, several times for each moment a report writes).
@inlinable @inline(__always)
package func putTwoDigits(_ n: Int, _ p: UnsafeMutablePointer<UInt8>, _ i: inout Int) {
    let v = UInt8(truncatingIfNeeded: n)
    p[i] = 48 &+ v / 10
    p[i + 1] = 48 &+ v % 10
    i += 2
}

extension FEELDate {
    /// `YYYY-MM-DD` (a year before 1 BCE as `-YYYY`), as FEEL's `string()` writes a date.
    ///
    /// Written into the new string's storage: joined from padded pieces, each a string of its own,
    /// a date cost about 2,600 instructions (`string(date)` runs in two pathways' `set:` actions
    /// for every case that reaches them).
    public var isoString: String {
        // A sign and up to 20 digits of year, then `-MM-DD` (see `writeISO(to:at:)`).
        String(unsafeUninitializedCapacity: 27) { p in
            var i = 0
            writeISO(to: p.baseAddress!, at: &i)
            return i
        }
    }

    /// Writes the date as `YYYY-MM-DD` (a year before 1 BCE as `-YYYY`) at `p + i`, at most 27
    /// bytes (a sign and 20 digits of year, then 6 of month and day), moving `i` past it.
    @inlinable
    package func writeISO(to p: UnsafeMutablePointer<UInt8>, at i: inout Int) {
        // The dates a report writes (two or three a record) have four-digit years and two-digit
        // months and days: written as ten bytes straight, where three calls of `putDigits`, each
        // counting its digits first, were about 230 instructions a date.
        if (1000...9999).contains(year), (0..<100).contains(month), (0..<100).contains(day) {
            let y = UInt16(year)
            p[i] = 48 &+ UInt8(y / 1000)
            p[i + 1] = 48 &+ UInt8(y / 100 % 10)
            p[i + 2] = 48 &+ UInt8(y / 10 % 10)
            p[i + 3] = 48 &+ UInt8(y % 10)
            p[i + 4] = UInt8(ascii: "-")
            i += 5
            putTwoDigits(month, p, &i)
            p[i] = UInt8(ascii: "-")
            i += 1
            putTwoDigits(day, p, &i)
            return
        }
        if year < 0 {
            p[i] = UInt8(ascii: "-")
            i += 1
        }
        putDigits(abs(year), 4, p, &i)
        p[i] = UInt8(ascii: "-")
        i += 1
        putDigits(month, 2, p, &i)
        p[i] = UInt8(ascii: "-")
        i += 1
        putDigits(day, 2, p, &i)
    }
}
