import Foundation

/// A DMN decision table (DMN 1.5 §8), evaluated without I/O.
///
/// Input expressions are evaluated over the caller's variables, each rule's unary tests against
/// those inputs, and the hit policy picks or combines the outputs of the matching rules. One output
/// column gives its value; several give a context keyed by output name. Tables are called from FEEL
/// by name through `FEELEnvironment.functions`.
///
/// A class with nothing to change, so it behaves as a value: as a struct of twenty lists, a call on a
/// table kept in a list copied the table first (a reference count for each list, and a release for
/// each after), on every call, because the compiler cannot prove the list unchanged during the call.
public final class FEELDecisionTable: Sendable {
    public enum Aggregation: String, Sendable {
        case sum, count, min, max
    }

    public enum HitPolicy: Sendable, Equatable {
        case unique, first, priority, any, ruleOrder, outputOrder
        case collect(Aggregation?)

        /// Reads a hit policy as written in rule files: `first`, `rule order`, `collect sum`, ...
        public init?(_ text: String) {
            let words = text.lowercased().split(separator: " ").map(String.init)
            switch words {
            case ["unique"], ["u"]: self = .unique
            case ["first"], ["f"]: self = .first
            case ["priority"], ["p"]: self = .priority
            case ["any"], ["a"]: self = .any
            case ["rule", "order"], ["r"]: self = .ruleOrder
            case ["output", "order"], ["o"]: self = .outputOrder
            case ["collect"], ["c"]: self = .collect(nil)
            default:
                guard words.count == 2, words[0] == "collect", let aggregation = Aggregation(rawValue: words[1]) else {
                    return nil
                }
                self = .collect(aggregation)
            }
        }
    }

    public struct Rule: Sendable {
        public var inputs: [FEELUnaryTests]
        public var outputs: [FEELExpression]

        public init(inputs: [FEELUnaryTests], outputs: [FEELExpression]) {
            self.inputs = inputs
            self.outputs = outputs
        }
    }

    public let inputs: [FEELExpression]
    public let outputNames: [String]
    public let rules: [Rule]
    public let hitPolicy: HitPolicy
    /// Per output, the allowed values in priority order (for `priority` and `output order`).
    public let outputValues: [[FEELValue]]

    private let inputSlot: Int
    /// Slots for evaluating the inputs: the most any input expression needs.
    private let inputFrameSize: Int
    private let slotCount: Int
    /// Every cell that is not `-`, rule by rule, as parallel arrays that `evaluate` reads by index,
    /// so that the loop copies no `FEELUnaryTests` and calls each matcher directly: the input column,
    /// the rule, the frameless test when the cell has one, and its bounds when it is an interval of
    /// numbers that fit in 64-bit integers (`< 0.5`, `[0.5..0.7)`, `3`).
    private let cellColumns: [Int]
    private let cellRules: [Int]
    private let cellTests: [FEELDirectTest?]
    private let cellBounds: [Bounds?]
    /// For each rule, the index in the cells just past its last cell.
    private let ruleEnds: [Int]
    /// Per cell, its interval as integers at its column's exponent, when it has one (see `Integers`).
    private let cellIntegers: [Integers]
    /// Per column, the smallest exponent among its cells' bounds: an input number at this exponent
    /// or a coarser one is rescaled to it once, and then every cell of the column is two integer
    /// comparisons (`0.87` against `[0.85..0.9]` is `87` against `[85..90]`).
    private let columnExponents: [Int]
    /// Per input, where it reads a variable directly (`facts.school.attendance`): the variable's
    /// index and its entry names as `inputKeys[keyStart..<keyEnd]`, followed in place without a
    /// frame or a closure call; or a slot of -1 for an input that needs its compiled code.
    private let inputPaths: [(slot: Int, keyStart: Int, keyEnd: Int)]
    private let inputKeys: [FEELKey]
    /// Per rule with a single output that is constant (`"high"`), that value.
    private let constantOutputs: [FEELValue?]
    /// The number of input columns that `evaluate` prepares: the inputs, and any column a rule
    /// refers to beyond them (whose input is null).
    private let width: Int
    /// The inputs' compiled code, in a struct so that the array holds the closures unconverted.
    private let inputCodes: [InputCode]

    private struct InputCode: Sendable {
        let run: FEELCode
    }

    /// An interval of numbers with both ends (where present) as scaled integers.
    private struct Bounds: Sendable {
        var low: FEELNumber.Scaled?
        var lowIncluded: Bool
        var high: FEELNumber.Scaled?
        var highIncluded: Bool

        init?(_ interval: FEELDirectTest.Interval?) {
            guard let interval else { return nil }
            if let d = interval.low {
                guard let low = FEELNumber.Scaled(d) else { return nil }
                self.low = low
            }
            if let d = interval.high {
                guard let high = FEELNumber.Scaled(d) else { return nil }
                self.high = high
            }
            lowIncluded = interval.lowIncluded
            highIncluded = interval.highIncluded
        }

        /// Whether `x` lies inside; nil when a comparison would overflow (then the test decides).
        @inline(__always)
        func contains(_ x: FEELNumber.Scaled) -> Bool? {
            if let low {
                guard let a = FEELNumber.Scaled.compare(low, x) else { return nil }
                if a > 0 || (a == 0 && !lowIncluded) { return false }
            }
            if let high {
                guard let b = FEELNumber.Scaled.compare(x, high) else { return nil }
                if b > 0 || (b == 0 && !highIncluded) { return false }
            }
            return true
        }
    }

    /// An interval of integers, `low` and `high` being `Int64.min` and `Int64.max` (included) where
    /// the cell has no such end; `valid` is false for a cell that is not such an interval or whose
    /// bounds do not fit at its column's exponent.
    private struct Integers: Sendable {
        var low: Int64 = .min
        var high: Int64 = .max
        var lowIncluded = true
        var highIncluded = true
        var valid = false

        init() {}

        init(_ bounds: Bounds?, exponent: Int) {
            guard let bounds else { return }
            if let l = bounds.low {
                guard let v = FEELDecisionTable.rescale(l, to: exponent) else { return }
                low = v
                lowIncluded = bounds.lowIncluded
            }
            if let h = bounds.high {
                guard let v = FEELDecisionTable.rescale(h, to: exponent) else { return }
                high = v
                highIncluded = bounds.highIncluded
            }
            valid = true
        }

        @inline(__always)
        func contains(_ x: Int64) -> Bool {
            (lowIncluded ? x >= low : x > low) && (highIncluded ? x <= high : x < high)
        }
    }

    /// An input column's value made ready for the cells: as an integer at the column's exponent,
    /// and as a scaled integer, when it is a number that fits.
    private struct Prepared {
        var integer: Int64 = 0
        var scaled = FEELNumber.Scaled(mantissa: 0, exponent: 0)
        var hasInteger = false
        var hasScaled = false
    }

    /// `x` as a mantissa at `exponent`, when that is exact (the exponent is not coarser than x's)
    /// and fits in 64 bits.
    @inline(__always)
    static func rescale(_ x: FEELNumber.Scaled, to exponent: Int) -> Int64? {
        if x.exponent == exponent || x.mantissa == 0 { return x.mantissa }
        let shift = x.exponent - exponent
        guard shift > 0, shift <= 18 else { return nil }
        let (value, overflow) = x.mantissa.multipliedReportingOverflow(by: FEELNumber.powerOfTen(shift))
        return overflow ? nil : value
    }

    /// - Parameters:
    ///   - inputs: one expression per input column, compiled over the same names as the tests.
    ///   - rules: every rule's tests must have one cell per input, compiled with the same `names`.
    public init(
        inputs: [FEELExpression], outputNames: [String], rules: [Rule], hitPolicy: HitPolicy,
        outputValues: [[FEELValue]] = []
    ) {
        self.inputs = inputs
        self.outputNames = outputNames
        self.rules = rules
        self.hitPolicy = hitPolicy
        self.outputValues = outputValues
        let tests = rules.flatMap(\.inputs)
        inputSlot = tests.first?.inputSlot ?? 0
        slotCount = Swift.max(tests.map(\.slotCount).max() ?? 0, inputSlot + 1)
        inputFrameSize = inputs.map(\.slotCount).max() ?? 0
        inputCodes = inputs.map { InputCode(run: $0.code) }
        var columns: [Int] = []
        var ruleIndices: [Int] = []
        var directs: [FEELDirectTest?] = []
        var bounds: [Bounds?] = []
        var ends: [Int] = []
        for (r, rule) in rules.enumerated() {
            for (column, test) in rule.inputs.enumerated() where !test.matchesAnything {
                columns.append(column)
                ruleIndices.append(r)
                directs.append(test.direct)
                bounds.append(Bounds(test.direct?.interval))
            }
            ends.append(columns.count)
        }
        cellColumns = columns
        cellRules = ruleIndices
        cellTests = directs
        cellBounds = bounds
        ruleEnds = ends
        let width = Swift.max(inputs.count, (columns.max() ?? -1) + 1)
        var exponents = Array(repeating: Int.max, count: width)
        for (column, cell) in zip(columns, bounds) {
            for end in [cell?.low, cell?.high] {
                if let end { exponents[column] = Swift.min(exponents[column], end.exponent) }
            }
        }
        columnExponents = exponents
        cellIntegers = zip(columns, bounds).map { column, cell in Integers(cell, exponent: exponents[column]) }
        self.width = width
        var paths: [(slot: Int, keyStart: Int, keyEnd: Int)] = []
        var keys: [FEELKey] = []
        for input in inputs {
            if let path = input.path {
                paths.append((path.slot, keys.count, keys.count + path.keys.count))
                keys += path.keys
            } else {
                paths.append((-1, 0, 0))
            }
        }
        inputPaths = paths
        inputKeys = keys
        constantOutputs = rules.map { $0.outputs.count == 1 ? $0.outputs[0].constant : nil }
    }

    /// Evaluates the inputs with `values` (one per name, as for the input expressions), then the rules.
    public func evaluate(_ values: [FEELValue], environment: FEELEnvironment = .empty) -> FEELValue {
        // The inputs and their prepared numbers live on the stack for the evaluation: two arrays
        // allocated per call were a fifth of a small table's cost.
        withUnsafeTemporaryAllocation(of: FEELValue.self, capacity: width) { inputValues in
            withUnsafeTemporaryAllocation(of: Prepared.self, capacity: width) { prepared in
                evaluate(values, environment, inputValues, prepared)
            }
        }
    }

    private func evaluate(
        _ values: [FEELValue], _ environment: FEELEnvironment, _ inputValues: UnsafeMutableBufferPointer<FEELValue>,
        _ prepared: UnsafeMutableBufferPointer<Prepared>
    ) -> FEELValue {
        var column = 0
        // Inputs that are other expressions share one frame, built when the first needs it: each
        // was compiled over the same names, and each writes its own working slots before reading them.
        var inputFrame: FEELFrame?
        while column < inputCodes.count {
            let path = inputPaths[column]
            let value: FEELValue
            if path.slot >= 0, path.slot < values.count {
                value = values.withUnsafeBufferPointer {
                    FEELCompiler.follow($0.baseAddress! + path.slot, inputKeys, from: path.keyStart, to: path.keyEnd)
                }
            } else {
                if inputFrame == nil {
                    var slots = values
                    if slots.count < inputFrameSize {
                        slots.append(contentsOf: repeatElement(.null, count: inputFrameSize - slots.count))
                    }
                    inputFrame = FEELFrame(slots: slots, environment: environment)
                }
                value = inputCodes[column].run(&inputFrame!)
            }
            (inputValues.baseAddress! + column).initialize(to: value)
            column += 1
        }
        while column < width {
            (inputValues.baseAddress! + column).initialize(to: .null)
            column += 1
        }
        defer { inputValues.deinitialize() }
        // Numbers among the inputs, converted once for every interval cell that tests them.
        column = 0
        while column < width {
            var ready = Prepared()
            if case .number(let d) = inputValues[column], let x = FEELNumber.Scaled(d) {
                ready.scaled = x
                ready.hasScaled = true
                if let integer = FEELDecisionTable.rescale(x, to: columnExponents[column]) {
                    ready.integer = integer
                    ready.hasInteger = true
                }
            }
            (prepared.baseAddress! + column).initialize(to: ready)
            column += 1
        }
        // The frame for tests that read variables is built only when a rule reaches one.
        var frame: FEELFrame?
        var matched: [Int] = []
        var c = 0
        for index in 0..<ruleEnds.count {
            let end = ruleEnds[index]
            var all = true
            while c < end {
                let column = cellColumns[c]
                let ready = prepared[column]
                let integers = cellIntegers[c]
                var result: Bool?
                if ready.hasInteger, integers.valid {
                    result = integers.contains(ready.integer)
                } else if ready.hasScaled, let bounds = cellBounds[c], let inside = bounds.contains(ready.scaled) {
                    result = inside
                } else if let direct = cellTests[c] {
                    result = direct(inputValues[column])
                } else {
                    if frame == nil { frame = makeFrame(values, environment) }
                    frame!.slots[inputSlot] = inputValues[column]
                    result = rules[cellRules[c]].inputs[column].test(&frame!)
                }
                c += 1
                if result != true {
                    all = false
                    break
                }
            }
            if all {
                if hitPolicy == .first {
                    return constantOutputs[index] ?? output(of: index, values, environment)
                }
                matched.append(index)
            }
            c = end
        }
        return combine(matched, values, environment)
    }

    private func makeFrame(_ values: [FEELValue], _ environment: FEELEnvironment) -> FEELFrame {
        var slots = values
        if slots.count > inputSlot { slots.removeLast(slots.count - inputSlot) }
        while slots.count < slotCount { slots.append(.null) }
        return FEELFrame(slots: slots, environment: environment)
    }

    private func output(of rule: Int, _ values: [FEELValue], _ environment: FEELEnvironment) -> FEELValue {
        let outputs = rules[rule].outputs
        if outputs.count == 1 { return outputs[0].constant ?? outputs[0].evaluate(values, environment: environment) }
        var context = FEELContext()
        for (name, expression) in zip(outputNames, outputs) {
            context[name] = expression.evaluate(values, environment: environment)
        }
        return .context(context)
    }

    private func priority(_ value: FEELValue) -> Int {
        let first: FEELValue
        if case .context(let c) = value, let name = outputNames.first {
            first = c[name] ?? .null
        } else {
            first = value
        }
        guard let allowed = outputValues.first else { return 0 }
        return allowed.firstIndex { FEELCompare.equal($0, first) == true } ?? allowed.count
    }

    private func combine(_ matched: [Int], _ values: [FEELValue], _ environment: FEELEnvironment) -> FEELValue {
        let results = matched.map { output(of: $0, values, environment) }
        switch hitPolicy {
        case .first: return results.first ?? .null
        case .unique:
            if results.count > 1 {
                environment.warnings?("decision table with hit policy unique matched \(results.count) rules")
            }
            return results.count == 1 ? results[0] : .null
        case .any:
            guard let first = results.first else { return .null }
            if results.contains(where: { FEELCompare.equal($0, first) != true }) {
                environment.warnings?("decision table with hit policy any matched rules with different outputs")
                return .null
            }
            return first
        case .priority:
            return results.enumerated().min { (priority($0.element), $0.offset) < (priority($1.element), $1.offset) }?
                .element ?? .null
        case .outputOrder:
            return .list(
                results.enumerated().sorted { (priority($0.element), $0.offset) < (priority($1.element), $1.offset) }
                    .map(\.element))
        case .ruleOrder, .collect(nil):
            return .list(results)
        case .collect(.count?):
            return .number(Decimal(results.count))
        case .collect(let aggregation?):
            if results.isEmpty { return .null }
            let name: String
            switch aggregation {
            case .sum: name = "sum"
            case .min: name = "min"
            default: name = "max"
            }
            return FEELBuiltins.table[name]![0].body([.list(results)], environment)
        }
    }
}
