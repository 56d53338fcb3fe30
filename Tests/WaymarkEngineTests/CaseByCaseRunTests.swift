import Foundation
import Testing
import WaymarkDefinitions
import WaymarkFEEL
import WaymarkModel
import WaymarkSpill
import WaymarkTestSupport

@testable import WaymarkEngine

/// `waymark run --format json` runs each case on its own and spills its records; what it prints
/// must be what the engine, which keeps every case, prints for the same files.
@Suite struct CaseByCaseRunTests {
    typealias F = Fixtures

    static let definitions = try! DefinitionsLoader(root: HistoryKeepingTests.root).load().definitions
    static let cohort = Array(
        try! Data(contentsOf: URL(fileURLWithPath: HistoryKeepingTests.root + "/examples/cohort.jsonl")))

    /// The engine's JSON for `files`, as `waymark run` made it before (ingest each file, advance,
    /// stream the report).
    static func engineJSON(_ files: [[UInt8]], through: FEELDate?, openOnly: Bool) throws -> String {
        var engine = Engine(definitions: definitions)
        engine.workers = 2
        engine.keepsFinishedTaskReasons = !openOnly
        for file in files { engine.ingest(try EventDecoder.decode(file, timeZoneID: engine.timeZoneID)) }
        let day = through ?? engine.lastEventMoment.map { engine.timeZone.date(of: $0) }
        if let day { engine.advance(to: engine.endOfDay(day)) }
        var stream = engine.reportStream(openOnly: openOnly)
        if let day { stream.asOf = day }
        return stream.json(workers: 2)
    }

    static func caseByCase(
        _ files: [[UInt8]], through: FEELDate?, openOnly: Bool, perChunk: Int = 7, window: Int = 4_096,
        workers: Int = 2, spill: some RecordSpill = MemorySpill()
    ) throws -> (json: String, summary: CaseByCaseRun.Summary) {
        var run = CaseByCaseRun(definitions: definitions)
        run.workers = workers
        run.casesPerChunk = perChunk
        run.readWindow = window
        for file in files { try run.add(file) }
        var out: [UInt8] = []
        let summary = try run.writeJSON(through: through, openOnly: openOnly, spill: spill) { out += $0 }
        return (String(decoding: out, as: UTF8.self), summary)
    }

    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A).map { Array($0) + [0x0A] }
    }

    @Test(arguments: [nil, "2019-06-28", "2022-01-31"])
    func theCohortPrintsWhatTheEnginePrints(asOf: String?) throws {
        let through = asOf.map(F.date)
        for openOnly in [true, false] {
            let expected = try Self.engineJSON([Self.cohort], through: through, openOnly: openOnly)
            #expect(expected.count > 100_000)
            // Chunks of 7 cases and windows of 4 KB: many of each, with cases and lines cut across.
            let (json, summary) = try Self.caseByCase([Self.cohort], through: through, openOnly: openOnly)
            #expect(json == expected)
            #expect(summary.taskCount > 0 && summary.alertCount > 0 && summary.enrolmentCount > 0)
            // One thread, one chunk, the default window: the same.
            let whole = try Self.caseByCase(
                [Self.cohort], through: through, openOnly: openOnly, perChunk: 100_000, window: 1 << 23, workers: 1)
            #expect(whole.json == expected)
        }
    }

    @Test func theCSVIsTheEnginesCSV() throws {
        for (asOf, openOnly) in [("2019-06-28", true), ("2022-01-31", false)] {
            var engine = Engine(definitions: Self.definitions)
            engine.keepsFinishedTaskReasons = !openOnly
            engine.ingest(try EventDecoder.decode(Self.cohort, timeZoneID: engine.timeZoneID))
            engine.advance(to: engine.endOfDay(F.date(asOf)))
            var report = engine.report(openOnly: openOnly)
            report.asOf = F.date(asOf)
            let expected = report.csv()
            #expect(expected.count > 100_000)
            var run = CaseByCaseRun(definitions: Self.definitions)
            run.workers = 2
            run.casesPerChunk = 7
            try run.add(Self.cohort)
            var out: [UInt8] = []
            let summary = try run.write(.csv, through: F.date(asOf), openOnly: openOnly, spill: MemorySpill()) {
                out += $0
            }
            #expect(String(decoding: out, as: UTF8.self) == expected)
            #expect(summary.taskCount == report.tasks.count)
        }
    }

    /// The table keeps only the rows it shows and the counts: the same text as a report's table,
    /// whatever the limit, with all the finished tasks counted or none (`--open`).
    @Test(arguments: ["2019-06-28", "2022-01-31"])
    func theTableIsTheEnginesTable(asOf: String) throws {
        for openOnly in [true, false] {
            var engine = Engine(definitions: Self.definitions)
            engine.ingest(try EventDecoder.decode(Self.cohort, timeZoneID: engine.timeZoneID))
            engine.advance(to: engine.endOfDay(F.date(asOf)))
            var report = engine.report(openOnly: openOnly)
            report.asOf = F.date(asOf)
            var run = CaseByCaseRun(definitions: Self.definitions)
            run.workers = 2
            run.casesPerChunk = 7
            try run.add(Self.cohort)
            for limit in [nil, 1, 5] {
                let expected = report.table(limit: limit)
                #expect(expected.contains("more for") == (limit != nil))
                var out: [UInt8] = []
                _ = try run.write(.table(limit: limit), through: F.date(asOf), openOnly: openOnly, spill: MemorySpill())
                {
                    out += $0
                }
                #expect(String(decoding: out, as: UTF8.self) == expected)
            }
        }
    }

    @Test func aTemporaryFileSpillGivesTheSameAndLeavesNoFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spill = try TemporaryFileSpill(directory: folder.path)
        let through = F.date("2019-06-28")
        let (json, _) = try Self.caseByCase([Self.cohort], through: through, openOnly: false, spill: spill)
        #expect(json == (try Self.engineJSON([Self.cohort], through: through, openOnly: false)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Lines shuffled and split over two files, with the second repeating some of the first: the
    /// same list as the file in order, and the repeats counted as duplicates.
    @Test func orderFilesAndDuplicatesDoNotChangeTheList() throws {
        var lines = Self.lines(Self.cohort)
        var generator = SplitMix(seed: 42)
        lines.shuffle(using: &generator)
        let half = lines.count / 2
        let first = Array(lines[..<half].joined())
        let second = Array((lines[half...] + lines[..<500]).joined())
        let through = F.date("2019-06-28")
        let (json, summary) = try Self.caseByCase([first, second], through: through, openOnly: true)
        #expect(json == (try Self.engineJSON([Self.cohort], through: through, openOnly: true)))
        var run = CaseByCaseRun(definitions: Self.definitions)
        try run.add(first)
        try run.add(second)
        #expect(run.duplicateCount == 500)
        #expect(run.eventCount == lines.count)
        #expect(summary.problems.isEmpty)
    }

    /// Of two events with one id, the first in the file is kept, whichever window each is in: a
    /// window's events are filed while the next window is decoded, and must still be filed in order.
    @Test func theFirstOfTwoEventsWithOneIDIsKeptAcrossWindows() throws {
        let lines = Self.lines(Self.cohort).prefix(3_000)
        // Every 5th referral again, as case R-k's (which it enrols), 30 lines (one to three windows
        // of 4 KB) after it or before it.
        var placed: [(position: Double, line: [UInt8])] = []
        var rivalsFirst: [String] = []
        var rivalsAfter: [String] = []
        var referrals = 0
        for (k, line) in lines.enumerated() {
            placed.append((Double(k), line))
            var text = String(decoding: line, as: UTF8.self)
            guard text.contains(#""type":"referral.received""#) else { continue }
            referrals += 1
            guard referrals % 5 == 0 else { continue }
            let caseField = try #require(text.firstRange(of: #/"case":"[^"]+"/#))
            text.replaceSubrange(caseField, with: #""case":"R-\#(k)""#)
            let before = (referrals / 5) % 2 == 1 && k >= 30
            placed.append((Double(k) + (before ? -30.5 : 30.5), Array(text.utf8)))
            if before { rivalsFirst.append("R-\(k)") } else { rivalsAfter.append("R-\(k)") }
        }
        let file = Array(placed.sorted { $0.position < $1.position }.map(\.line).joined())
        let (json, _) = try Self.caseByCase([file], through: nil, openOnly: false)
        #expect(json == (try Self.engineJSON([file], through: nil, openOnly: false)))
        #expect(rivalsFirst.filter { !json.contains(#""case": "\#($0)""#) } == [], "kept, as they came first")
        #expect(rivalsAfter.filter { json.contains(#""case": "\#($0)""#) } == [], "ignored, as they came second")
        #expect(rivalsFirst.count >= 10 && rivalsAfter.count >= 10)
    }

    @Test func aJSONArrayReadsAsItsLines() throws {
        let lines = Self.lines(Self.cohort).prefix(3_000).map { Array($0.dropLast()) }
        let array = Array("[\n".utf8) + Array(lines.joined(separator: Array(",\n".utf8))) + Array("\n]\n".utf8)
        let jsonLines = Array(lines.joined(separator: [0x0A]))
        let (a, _) = try Self.caseByCase([array], through: nil, openOnly: false)
        let (b, _) = try Self.caseByCase([jsonLines], through: nil, openOnly: false)
        #expect(a == b)
        #expect(a == (try Self.engineJSON([array], through: nil, openOnly: false)))
    }

    /// Events without ids get them from their content, numbered within their file, as the decoder
    /// gives them: the same content twice in one file is two events, in two files one.
    @Test func eventsWithoutIDsAreNumberedAsTheDecoderNumbersThem() throws {
        let referral =
            #"{"case":"C-1","type":"referral.received","at":"2019-03-04T09:00:00Z","facts":{"child":{"birth_date":"2007-05-01"}}}"#
        let twice = Array((referral + "\n" + referral + "\n").utf8)
        let once = Array((referral + "\n").utf8)
        for files in [[twice], [once, once], [twice, once]] {
            let (json, _) = try Self.caseByCase(files, through: F.date("2019-04-30"), openOnly: false)
            #expect(json == (try Self.engineJSON(files, through: F.date("2019-04-30"), openOnly: false)))
        }
        var run = CaseByCaseRun(definitions: Self.definitions)
        try run.add(twice)
        try run.add(once)
        #expect(run.eventCount == 2)
        #expect(run.duplicateCount == 1)
    }

    /// A bad line anywhere (here in the fourth window of 4 KB) rejects the whole file with its line
    /// number, and nothing of it is kept: the run prints what it printed before the file was added.
    @Test func aBadLineRejectsItsFileWithItsLineNumber() throws {
        var lines = Self.lines(Self.cohort).prefix(400).map { $0 }
        let good = Array(lines.prefix(200).joined())
        lines[350] = Array(#"{"id":"x","case":"C-9","type":"referral.received","at":"yesterday"}"#.utf8) + [0x0A]
        lines[380] = Array(#"{"id":"y","case":"C-9","type":"referral.received","#.utf8) + [0x0A]
        let bad = Array(lines.joined())
        var run = CaseByCaseRun(definitions: Self.definitions)
        run.readWindow = 4_096
        try run.add(good)
        let before = run.eventCount
        #expect(throws: EventBatchError.self) { try run.add(bad) }
        do {
            try run.add(bad)
        } catch {
            #expect(error.problems.map(\.line) == [351, 381])
            #expect(error.problems.first?.field == "at")
        }
        #expect(run.eventCount == before)
        var out: [UInt8] = []
        _ = try run.writeJSON(through: nil, openOnly: false, spill: MemorySpill()) { out += $0 }
        #expect(String(decoding: out, as: UTF8.self) == (try Self.engineJSON([good], through: nil, openOnly: false)))
    }

    /// The index checks each event's `data` and `facts` without building them, and reads a line in
    /// full only when that check finds something: the problems it reports must be the decoder's, word
    /// for word, and a sound value the check could not vouch for (an escape) must still be accepted
    /// and read whole when its case runs.
    @Test func theIndexRefusesWhatTheDecoderRefusesInTheSameWords() throws {
        let head = #"{"case":"C-7","type":"case.note","at":"2024-03-04T10:00:00Z","#
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        let refused = [
            "\"data\":{\"note\":\"a\u{01}b\"}}",  // a control character inside a string
            #""data":{"n":01}}"#,
            #""data":{"n":1.}}"#,
            #""data":{"n":1e999}}"#,
            #""data":{"s":"\x"}}"#,
            #""data":{"s":"\ud800x"}}"#,
            #""data":[1,2]}"#,
            #""facts":"text"}"#,
            #""facts":{"a":tru}}"#,
            #""facts":{"a":1,}}"#,
            #""data":{"a":"# + deep + "}}",
            #""data":{"a":"unterminated}}"#,
            #""data":nul}"#,
        ].map { head + $0 }
        let zone = ZoneOffsets(identifier: "Europe/London")!
        for line in refused {
            let bytes = Array((line + "\n").utf8)
            var decoderProblems: [EventBatchError.Problem] = []
            do { _ = try EventDecoder.decode(bytes, timeZoneID: "Europe/London") } catch {
                decoderProblems = error.problems
            }
            #expect(!decoderProblems.isEmpty, "the decoder accepted \(line)")
            var index = EventIndex(zone: zone)
            do {
                try index.add(bytes, workers: 1)
                Issue.record("the index accepted \(line)")
            } catch {
                #expect(error.problems.map(\.message) == decoderProblems.map(\.message), "\(line)")
                #expect(error.problems.map(\.field) == decoderProblems.map(\.field), "\(line)")
                #expect(error.problems.map(\.line) == decoderProblems.map(\.line), "\(line)")
            }
        }
        let accepted = [
            #""data":{"note":"line one\nline two \"quoted\" \u00e9"},"facts":null}"#,
            #""data":{"list":[1,-2.5e3,true,false,null,{"k":[]}],"empty":{}},"facts":{"school":{"attendance":0.85}}}"#,
        ].map { head + $0 + "\n" }
        let file = Array(accepted.joined().utf8)
        let events = try EventDecoder.decode(file, timeZoneID: "Europe/London")
        #expect(events.count == 2)
        if case .string(let note)? = events[0].data?["note"] {
            #expect(note == "line one\nline two \"quoted\" é")
        } else {
            Issue.record("no note in \(events[0])")
        }
        var index = EventIndex(zone: zone)
        try index.add(file, workers: 1)
        #expect(index.eventCount == 2)
        let strings = JSONStringTable()
        let again = (0..<2).map { index.event($0, strings: strings) }
        func text(_ c: FEELContext?) -> String { c.map { FEELValue.context($0).typedJSONText } ?? "null" }
        #expect(again.map { text($0.data) } == events.map { text($0.data) })
        #expect(again.map { text($0.facts) } == events.map { text($0.facts) })
    }

    /// A spill that cannot be written stops the run with its error rather than print a short list.
    @Test func aFailingSpillIsReported() throws {
        final class FullDisk: RecordSpill {
            func append(_ bytes: [UInt8]) throws(SpillError) -> Int { throw SpillError("no space left on device") }
            func read(from offset: Int, count: Int) throws(SpillError) -> [UInt8] { [] }
        }
        var run = CaseByCaseRun(definitions: Self.definitions)
        try run.add(Self.cohort)
        var out: [UInt8] = []
        #expect(throws: SpillError.self) {
            _ = try run.writeJSON(through: nil, openOnly: true, spill: FullDisk()) { out += $0 }
        }
        #expect(out.isEmpty)
    }

    @Test func noEventsPrintsEmptyLists() throws {
        let (json, _) = try Self.caseByCase([[]], through: nil, openOnly: false)
        #expect(json == (try Self.engineJSON([[]], through: nil, openOnly: false)))
        #expect(json.contains("\"tasks\": []"))
    }
}
