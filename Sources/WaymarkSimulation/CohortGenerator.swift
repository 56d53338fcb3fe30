import WaymarkFEEL

/// Generates a synthetic cohort of children's cases as a stream of input events.
///
/// The mix follows Camden's programme (see `shared/domain`): most children are children in need aged
/// 10 to 13 (Right Balance for Families), some are children in need of other ages (the phase 3 CIN
/// service), and some are children in care on Lifelong Links. Each child's story is drawn from its own
/// sub-stream of the seed, so the output is a function of the configuration only, and adding children
/// leaves the others' stories as they were. Ids are pseudonymous (`C-00001`); no names are generated.
public struct CohortGenerator: Sendable {
    public let configuration: CohortConfiguration

    public init(_ configuration: CohortConfiguration) {
        self.configuration = configuration
    }

    /// Every event of the cohort, sorted by `at` (ties by case, then by the order of the child's story).
    public func events() -> [SimulatedEvent] {
        var all: [SimulatedEvent] = []
        for index in 0..<max(0, configuration.cases) {
            all.append(contentsOf: childEvents(index: index))
        }
        // Stable on (at, case, id): ids are zero-padded per case, so string order is story order.
        all.sort { lhs, rhs in
            if lhs.at != rhs.at { return lhs.at < rhs.at }
            if lhs.caseID != rhs.caseID { return lhs.caseID < rhs.caseID }
            return lhs.id < rhs.id
        }
        return all
    }

    /// The cohort as JSON Lines, one event a line, each line ending in a newline.
    public func jsonLines() -> String {
        var out = ""
        for event in events() {
            out += event.jsonLine
            out += "\n"
        }
        return out
    }

    /// The events of child number `index` (0-based), in story order.
    public func childEvents(index: Int) -> [SimulatedEvent] {
        var story = ChildStory(
            caseID: CohortGenerator.caseID(index),
            random: SeededGenerator(seed: configuration.seed, stream: UInt64(index)),
            clock: configuration.clock,
            from: configuration.from,
            to: configuration.to
        )
        story.tell()
        return story.events
    }

    /// `C-00001` for index 0: pseudonymous, sortable, wide enough for 99,999 children (then it grows).
    public static func caseID(_ index: Int) -> String {
        let digits = String(index + 1)
        return "C-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
