import ArgumentParser
import Foundation
import WaymarkFEEL
import WaymarkSimulation

/// `waymark simulate`: writes a synthetic cohort's events as JSON Lines, the same bytes for the same seed.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a synthetic, seeded cohort of case events as JSON Lines."
    )

    @Option(help: "How many children.")
    var cases: Int = 251

    @Option(help: "The seed; the same seed gives byte-identical output.")
    var seed: UInt64 = 2017

    @Option(help: "The first day a referral may fall on (YYYY-MM-DD).")
    var from: String = "2017-09-01"

    @Option(help: "The last day an event may fall on (YYYY-MM-DD).")
    var to: String = "2021-12-31"

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let fromDate = try Self.date(from, option: "--from")
        let toDate = try Self.date(to, option: "--to")
        guard cases >= 0 else { throw Self.usage("--cases must be 0 or more, not \(cases)") }
        guard fromDate <= toDate else { throw Self.usage("--from \(from) is after --to \(to)") }
        let generator = CohortGenerator(CohortConfiguration(cases: cases, seed: seed, from: fromDate, to: toDate))
        let lines = generator.jsonLines()
        if let output {
            do {
                try Data(lines.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw Self.usage("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileBytes.writeOrExit(lines, command: "simulate")
        }
    }

    /// A strict `YYYY-MM-DD` that names a real day.
    static func date(_ text: String, option: String) throws -> FEELDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...FEELDate.daysInMonth(year: year, month: month)).contains(day)
        else { throw usage("\(option): not a date (YYYY-MM-DD): \(text)") }
        return FEELDate(year: year, month: month, day: day)
    }

    /// Prints a one-line message and exits 2, as the spec asks of bad arguments.
    static func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("waymark simulate: error: \(message)\n".utf8))
        return ExitCode(2)
    }
}
