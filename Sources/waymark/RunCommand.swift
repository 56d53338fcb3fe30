import ArgumentParser
import Foundation
import WaymarkDefinitions
import WaymarkEngine
import WaymarkFEEL
import WaymarkModel
import WaymarkSpill

/// `waymark run`: applies event files to the shipped (or given) definitions and prints the task list.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Apply events and print the task list, alerts and enrolments as of a date."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @Argument(help: "Event files (JSON Lines or a JSON array); `-` reads standard input.")
    var events: [String]

    @Option(name: .long, help: "The definitions folder (holding workflows/ and rules/).")
    var definitions: String = "."

    @Option(name: .customLong("as-of"), help: "Advance the clock through the end of this date (YYYY-MM-DD).")
    var asOf: String?

    @Option(name: .long, help: "table (by role, overdue first), json (the spec's shape) or csv (tasks).")
    var format: Format = .table

    @Flag(name: .long, help: "List only open and overdue tasks.")
    var open = false

    @Option(name: .long, help: "Table only: the most urgent rows shown per role and for alerts (0: all).")
    var limit = 5

    func run() throws {
        let loaded: LoadedDefinitions
        do {
            loaded = try DefinitionsLoader(root: definitions).load()
        } catch {
            fail("\(error.message)")
        }
        if loaded.hasErrors {
            for d in loaded.diagnostics where d.severity == .error {
                FileHandle.standardError.write(Data("\(d.location): error: \(d.message)\n".utf8))
            }
            fail("the definitions in `\(definitions)` have \(loaded.errorCount) error(s); see `waymark check`")
        }
        var asOfDate: FEELDate?
        if let asOf {
            guard let date = FEELDate.parseISO(asOf) else { fail("--as-of: `\(asOf)` is not a date (YYYY-MM-DD)") }
            asOfDate = date
        }
        guard !events.isEmpty else { fail("no events file given") }
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard format == .table else {
            runCaseByCase(format == .json ? .json : .csv, loaded.definitions, through: asOfDate, workers: workers)
            return
        }
        var engine = Engine(definitions: loaded.definitions)
        engine.workers = workers
        // A list of open tasks shows no finished one: their reasons can go once they are finished.
        engine.keepsFinishedTaskReasons = !open
        var batches: [[Event]] = []
        var bad = false
        for (name, bytes) in readFiles() {
            do throws(EventBatchError) {
                batches.append(try EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID, workers: engine.workers))
            } catch {
                bad = true
                reportProblems(error, in: name)
            }
        }
        if bad { rejected() }
        // Each batch is handed over whole, so that the engine moves its events rather than copies
        // them; the engine keeps what it needs (facts and data packed once applied).
        batches.reverse()
        while let batch = batches.popLast() { engine.ingest(batch) }
        let through = asOfDate ?? engine.lastEventMoment.map { engine.timeZone.date(of: $0) }
        if let through { engine.advance(to: engine.endOfDay(through)) }
        for problem in engine.problems {
            FileHandle.standardError.write(Data("waymark run: warning: \(problem)\n".utf8))
        }
        var report = engine.report(openOnly: open)
        if let through { report.asOf = through }
        FileHandle.standardOutput.write(Data(report.table(limit: limit > 0 ? limit : nil).utf8))
    }

    /// JSON and CSV, the formats for large runs, are written by ``CaseByCaseRun``: each case runs on
    /// its own and only its records are kept (in a temporary file) until the lists are written in
    /// order, so memory does not grow with every case and event as an engine's does. The output is
    /// the same. The table, a summary for a terminal, goes through an engine.
    private func runCaseByCase(
        _ format: CaseByCaseRun.Format, _ definitions: Definitions, through: FEELDate?, workers: Int
    ) {
        var run = CaseByCaseRun(definitions: definitions)
        run.workers = workers
        var bad = false
        for (name, bytes) in readFiles() {
            do throws(EventBatchError) {
                try run.add(bytes)
            } catch {
                bad = true
                reportProblems(error, in: name)
            }
        }
        if bad { rejected() }
        do {
            let spill = try TemporaryFileSpill()
            let summary = try run.write(format, through: through, openOnly: open, spill: spill) { bytes in
                FileHandle.standardOutput.write(Data(bytes))
            }
            for problem in summary.problems {
                FileHandle.standardError.write(Data("waymark run: warning: \(problem)\n".utf8))
            }
        } catch {
            fail("\(error)")
        }
    }

    /// Each events file's name (`<stdin>` for `-`) and bytes.
    private func readFiles() -> [(name: String, bytes: [UInt8])] {
        events.map { path in
            if path == "-" { return ("<stdin>", [UInt8](FileHandle.standardInput.readDataToEndOfFile())) }
            guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
            return (path, [UInt8](data))
        }
    }

    private func reportProblems(_ error: EventBatchError, in name: String) {
        for p in error.problems {
            let field = p.field.map { "\($0): " } ?? ""
            FileHandle.standardError.write(Data("\(name):\(p.line): \(field)\(p.message)\n".utf8))
        }
    }

    private func rejected() -> Never {
        FileHandle.standardError.write(Data("waymark run: malformed events; nothing was applied\n".utf8))
        Foundation.exit(2)
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("waymark run: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
