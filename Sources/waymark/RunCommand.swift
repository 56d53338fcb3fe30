import ArgumentParser
import Foundation
import WaymarkDefinitions
import WaymarkEngine
import WaymarkFEEL

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
        var engine = Engine(definitions: loaded.definitions)
        engine.workers = ProcessInfo.processInfo.activeProcessorCount
        // A list of open tasks shows no finished one: their reasons can go once they are finished.
        engine.keepsFinishedTaskReasons = !open
        var asOfDate: FEELDate?
        if let asOf {
            guard let date = FEELDate.parseISO(asOf) else { fail("--as-of: `\(asOf)` is not a date (YYYY-MM-DD)") }
            asOfDate = date
        }
        guard !events.isEmpty else { fail("no events file given") }
        var batches: [[Event]] = []
        var bad = false
        for path in events {
            let bytes: [UInt8]
            if path == "-" {
                bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: path) else {
                    fail("\(path): cannot read the file")
                }
                bytes = [UInt8](data)
            }
            do {
                batches.append(try EventDecoder.decode(bytes, timeZoneID: engine.timeZoneID, workers: engine.workers))
            } catch {
                bad = true
                let name = path == "-" ? "<stdin>" : path
                for p in error.problems {
                    let field = p.field.map { "\($0): " } ?? ""
                    FileHandle.standardError.write(Data("\(name):\(p.line): \(field)\(p.message)\n".utf8))
                }
            }
        }
        if bad {
            FileHandle.standardError.write(Data("waymark run: malformed events; nothing was applied\n".utf8))
            throw ExitCode(2)
        }
        // Each batch is handed over whole, so that the engine moves its events rather than copies
        // them; the engine keeps what it needs (facts and data packed once applied).
        batches.reverse()
        while let batch = batches.popLast() { engine.ingest(batch) }
        let through = asOfDate ?? engine.lastEventMoment.map { engine.timeZone.date(of: $0) }
        if let through { engine.advance(to: engine.endOfDay(through)) }
        for problem in engine.problems {
            FileHandle.standardError.write(Data("waymark run: warning: \(problem)\n".utf8))
        }
        func report() -> RunReport {
            var report = engine.report(openOnly: open)
            if let through { report.asOf = through }
            return report
        }
        switch format {
        case .table: FileHandle.standardOutput.write(Data(report().table(limit: limit > 0 ? limit : nil).utf8))
        case .json:
            // Written a batch of records at a time, each made only for its batch: the list of a large
            // cohort is hundreds of megabytes.
            var stream = engine.reportStream(openOnly: open)
            if let through { stream.asOf = through }
            stream.writeJSON(workers: engine.workers) { FileHandle.standardOutput.write(Data($0)) }
        case .csv: FileHandle.standardOutput.write(Data(report().csv().utf8))
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("waymark run: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
