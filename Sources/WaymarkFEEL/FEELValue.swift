import Foundation

/// A FEEL value, as DMN 1.5 chapter 10 defines the types.
///
/// Values are immutable and `Sendable`: a compiled expression can be evaluated from any thread.
public enum FEELValue: Sendable {
    case null
    case boolean(Bool)
    case number(Decimal)
    case string(String)
    case date(FEELDate)
    /// Times and date-times are boxed (`indirect`) so that every value stays small to copy.
    indirect case time(FEELTime)
    indirect case dateTime(FEELDateTime)
    case dayTimeDuration(FEELDayTimeDuration)
    case yearMonthDuration(FEELYearMonthDuration)
    case list([FEELValue])
    case context(FEELContext)
    /// An interval such as `[1..10]`, `(date("2025-01-01")..date("2025-02-01"))` or `< 5`.
    indirect case range(FEELRange)
    /// A function value: a FEEL `function(a, b) ...` definition, or a built-in named as a value.
    /// Boxed too: unboxed, its 32 bytes made every value (and every context entry) larger, and
    /// copying values is what evaluation does most.
    indirect case function(FEELFunction)
}

/// A calendar date in the proleptic Gregorian calendar.
public struct FEELDate: Sendable, Hashable, Comparable {
    public var year: Int
    // Month and day are held in 32 bits so that a date takes 16 bytes, not 24: the date is the
    // largest payload of `FEELValue` after `Decimal`, so it sets the size of every value copied.
    private var storedMonth: Int32
    private var storedDay: Int32

    public var month: Int {
        get { Int(storedMonth) }
        set { storedMonth = Int32(truncatingIfNeeded: newValue) }
    }
    public var day: Int {
        get { Int(storedDay) }
        set { storedDay = Int32(truncatingIfNeeded: newValue) }
    }

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        storedMonth = Int32(truncatingIfNeeded: month)
        storedDay = Int32(truncatingIfNeeded: day)
    }

    public static func < (lhs: FEELDate, rhs: FEELDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A local time of day with an optional offset or zone.
public struct FEELTime: Sendable, Hashable {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
    /// Offset from UTC in seconds, when the time has one.
    public var offsetSeconds: Int?
    /// An IANA zone id such as `Europe/London`, when the time has one.
    public var zoneID: String?

    public init(
        hour: Int, minute: Int, second: Int, nanosecond: Int = 0, offsetSeconds: Int? = nil, zoneID: String? = nil
    ) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.offsetSeconds = offsetSeconds
        self.zoneID = zoneID
    }
}

/// A date and time, local or with an offset or zone.
public struct FEELDateTime: Sendable, Hashable {
    public var date: FEELDate
    public var time: FEELTime

    public init(date: FEELDate, time: FEELTime) {
        self.date = date
        self.time = time
    }
}

/// A days-and-time duration, held as seconds and nanoseconds.
public struct FEELDayTimeDuration: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}

/// A years-and-months duration, held as a count of months.
public struct FEELYearMonthDuration: Sendable, Hashable, Comparable {
    public var months: Int

    public init(months: Int) { self.months = months }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.months < rhs.months }
}

/// A FEEL context: an ordered map from names to values.
public struct FEELContext: Sendable {
    /// One name and its value.
    ///
    /// A struct, not a pair: the runtime copies and lets go of a list of pairs through its general
    /// code for tuples, element by element through each field's own, where a struct's are made for
    /// it (1% of a run's instructions went to letting go of contexts' lists of pairs).
    public struct Entry: Sendable {
        public var key: String
        public var value: FEELValue

        @inlinable
        public init(_ key: String, _ value: FEELValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var entries: [Entry]

    /// A context of these entries, in this order (a name given twice is there twice: set a name
    /// through the subscript to have it once).
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The same, from pairs: for callers that write a context out by hand.
    public init(_ pairs: [(key: String, value: FEELValue)]) {
        self.entries = pairs.map { Entry($0.key, $0.value) }
    }

    public subscript(key: String) -> FEELValue? {
        @inline(__always) get { self[FEELKey(key)] }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key, newValue))
            }
        }
    }
}

extension FEELContext {
    /// Sets the value at `path` (`["school", "attendance"]`), making the contexts on the way that are
    /// missing, or are not contexts; a new name is added at the end. Nothing for an empty path.
    ///
    /// In place: made as new contexts, a level at a time, every level was copied from the one it
    /// replaced (1,800 instructions for each `set` action of a run).
    public mutating func set(_ value: FEELValue, at path: ArraySlice<String>) {
        guard let head = path.first else { return }
        if path.count == 1 {
            self[head] = value
            return
        }
        guard let index = entries.firstIndex(where: { $0.key == head }) else {
            var inner = FEELContext()
            inner.set(value, at: path.dropFirst())
            entries.append(Entry(head, .context(inner)))
            return
        }
        var inner = FEELContext()
        if case .context(let c) = entries[index].value { inner = c }
        // Taken out first, so that the context set into is not shared and is not copied.
        entries[index].value = .null
        inner.set(value, at: path.dropFirst())
        entries[index].value = .context(inner)
    }

    /// Merges `incoming` into this context, deeply: a context merges with a context of the same
    /// name key by key, any other value replaces the one of its name, and a new name is added at
    /// the end.
    ///
    /// In place: merged as new contexts (look up, then set through the subscript, which looks up
    /// again), every level of an event's facts was copied, and each name compared twice as text.
    public mutating func merge(_ incoming: FEELContext) {
        for entry in incoming.entries {
            let key = FEELKey(entry.key)
            // A short name is found by its bytes; one not found so is looked for as text too (only a new
            // name gets that far), so that canonically equivalent spellings are one name here as they
            // are for `String`.
            guard
                let index = entries.withUnsafeBufferPointer({ key.index(in: $0) })
                    ?? entries.firstIndex(where: { $0.key == entry.key })
            else {
                entries.append(entry)
                continue
            }
            if case .context(let new) = entry.value, case .context(var old) = entries[index].value {
                // Taken out first, so that the context merged into is not shared and is not copied.
                entries[index].value = .null
                old.merge(new)
                entries[index].value = .context(old)
            } else {
                entries[index].value = entry.value
            }
        }
    }
}

extension FEELContext {
    /// The value of the entry named by `key`, copied out of the context only once it is found.
    @inline(__always)
    subscript(key: FEELKey) -> FEELValue? {
        entries.withUnsafeBufferPointer { key.find(in: $0)?.pointee }
    }
}
