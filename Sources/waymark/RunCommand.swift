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
        let written: CaseByCaseRun.Format =
            switch format {
            case .json: .json
            case .csv: .csv
            case .table: .table(limit: limit > 0 ? limit : nil)
            }
        runCaseByCase(written, loaded.definitions, through: asOfDate, workers: workers)
    }

    /// Every format is written by ``CaseByCaseRun``: each case runs on its own and only its records
    /// are kept (JSON and CSV in a temporary file, the table's counts and shown rows in memory) until
    /// the lists are written in order, so memory does not grow with every case and event as an
    /// engine's does. What is printed is what an engine would print.
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
            // The table keeps only the rows it shows, in memory.
            let spill: any RecordSpill = format == .json || format == .csv ? try TemporaryFileSpill() : MemorySpill()
            let summary = try run.write(format, through: through, openOnly: open, spill: spill) { bytes in
                FileBytes.writeOrExit(bytes, command: "run", failure: "cannot write the task list to standard output")
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
            guard let bytes = FileBytes.read(path) else { fail("\(path): cannot read the file") }
            return (path == "-" ? "<stdin>" : path, bytes)
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
