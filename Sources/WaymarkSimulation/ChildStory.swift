import Foundation
import WaymarkFEEL

/// One child's story, drawn from the child's own random stream: referrals and what follows them.
///
/// The shapes follow the domain notes: a referral is decided within a working day (mostly), an FGC
/// is held within about three weeks of acceptance or slips, the family plan agreed at it names a key
/// trusted professional, reflective groups run about every six weeks and reviews about every twelve,
/// school attendance is recorded at each half-term, crises come unannounced (some out of hours), and
/// about a third of children are re-referred after closure, some within 12 months of the previous
/// referral and some just outside. Children in care follow Lifelong Links instead.
struct ChildStory {
    private enum Kind {
        case rightBalance
        case childInNeed
        case inCare
    }

    let caseID: String
    private var random: SeededGenerator
    private let clock: LocalClock
    private let from: FEELDate
    private let to: FEELDate
    private var pending: [(at: Int64, type: String, facts: FEELContext?, data: FEELContext?)] = []
    /// The child's school attendance as a fraction of possible sessions, drifting over the story.
    private var attendance = 0.95
    private(set) var events: [SimulatedEvent] = []

    init(caseID: String, random: SeededGenerator, clock: LocalClock, from: FEELDate, to: FEELDate) {
        self.caseID = caseID
        self.random = random
        self.clock = clock
        self.from = from
        self.to = to
    }

    mutating func tell() {
        let kind = random.pick(weighted: [(Kind.rightBalance, 60), (.childInNeed, 25), (.inCare, 15)])
        let span = max(0, to.dayNumber - from.dayNumber)
        // Right Balance referrals fall in the programme's first half; later children are phase 3 / CIN.
        let window = kind == .rightBalance ? span * 55 / 100 : max(0, span - 60)
        let start = clock.workingDay(onOrAfter: FEELDate(dayNumber: from.dayNumber + random.int(in: 0...window)))
        attendance = random.chance(0.4) ? 0.45 + random.unit() * 0.45 : 0.9 + random.unit() * 0.09
        switch kind {
        case .rightBalance:
            childInNeed(firstReferral: start, ages: [10, 11, 12, 13])
        case .childInNeed:
            childInNeed(firstReferral: start, ages: [5, 6, 7, 8, 9, 14, 15, 16])
        case .inCare:
            lifelongLinks(start: start)
        }
        finish()
    }

    // MARK: - Children in need (Right Balance and the CIN service)

    private mutating func childInNeed(firstReferral: FEELDate, ages: [Int]) {
        let birth = birthDate(age: random.pick(ages), on: firstReferral)
        var referral = firstReferral
        var episode = 0
        while referral <= to && episode < 4 {
            let closed = childInNeedEpisode(referral: referral, birth: episode == 0 ? birth : nil)
            episode += 1
            guard random.chance(0.35) else { return }
            // Re-referral: some well inside 12 months of the last referral, some near the line, some after.
            let months = random.pick(weighted: [
                (random.int(in: 1...8), 45), (random.int(in: 9...13), 25), (random.int(in: 14...30), 30),
            ])
            let next = referral.addingMonths(months).addingDays(random.int(in: -10...10))
            referral = clock.workingDay(onOrAfter: max(next, closed.addingDays(random.int(in: 7...60))))
        }
    }

    /// One episode from referral to closure; returns the day it closed (or would have).
    private mutating func childInNeedEpisode(referral: FEELDate, birth: FEELDate?) -> FEELDate {
        var facts: [(key: String, value: FEELValue)] = []
        if let birth {
            facts.append(("child", .context(FEELContext([("birth_date", .string(JSONText.isoDate(birth)))]))))
        }
        facts.append(("school", attendanceFact()))
        let referralMinute = workingMinute()
        emit(
            EventVocabulary.referralReceived, on: referral, at: referralMinute, facts: FEELContext(facts),
            data: context([
                ("source", .string(random.pick(weighted: Self.referralSources))),
                ("primary_need", .string(random.pick(weighted: Self.primaryNeeds))),
            ]))

        // The referral decision: due within one working day; a few are made the same day, a few late.
        let delay = random.pick(weighted: [(0, 12), (1, 73), (2, 8), (3, 5), (6, 2)])
        let decided = delay == 0 ? referral : clock.addWorkingDays(referral, delay)
        let accepted = random.chance(0.82)
        emit(
            EventVocabulary.referralDecided, on: decided,
            at: delay == 0 ? minute(after: referralMinute) : workingMinute(),
            data: context([("decision", .string(accepted ? "accept" : "nfa"))]))
        guard accepted else { return decided }

        // The family group conference: on time (within 15 working days) for most, late for some.
        let onTime = random.chance(0.7)
        let fgc = clock.addWorkingDays(decided, onTime ? random.int(in: 5...15) : random.int(in: 16...35))
        let fgcMinute = workingMinute()
        emit(
            EventVocabulary.fgcHeld, on: fgc, at: fgcMinute,
            data: context([("child_attended", .boolean(random.chance(0.8)))]))
        let plan = random.chance(0.6) ? fgc : clock.addWorkingDays(fgc, random.int(in: 1...5))
        emit(
            EventVocabulary.planAgreed, on: plan, at: plan == fgc ? minute(after: fgcMinute) : workingMinute(),
            data: context([
                ("key_trusted_professional", .string(random.pick(weighted: Self.trustedProfessionals)))
            ]))

        let closed = clock.workingDay(onOrAfter: decided.addingMonths(random.int(in: 4...18)))
        var day = clock.addWorkingDays(plan, random.int(in: 10...25))
        while day < closed {
            emit(EventVocabulary.reflectiveGroupHeld, on: day, at: workingMinute())
            day = clock.addWorkingDays(day, random.int(in: 25...35))
        }
        day = clock.addWorkingDays(plan, random.int(in: 55...65))
        while day < closed {
            emit(
                EventVocabulary.reviewHeld, on: day, at: workingMinute(),
                data: context([("outcome", .string(random.pick(weighted: [("continue", 85), ("step-up", 15)])))]))
            day = clock.addWorkingDays(day, random.int(in: 55...65))
        }
        for checkpoint in halfTermEnds(after: referral, before: closed) {
            driftAttendance(improving: true)
            emit(
                EventVocabulary.attendanceRecorded, on: checkpoint, at: workingMinute(),
                facts: context([("school", attendanceFact())]))
        }
        crises(from: referral, to: closed, monthlyChance: 0.08)
        emit(
            EventVocabulary.caseClosed, on: closed, at: workingMinute(),
            data: context([("reason", .string(random.pick(weighted: Self.closureReasons)))]))
        return closed
    }

    // MARK: - Children in care on Lifelong Links

    private mutating func lifelongLinks(start: FEELDate) {
        let birth = birthDate(age: random.int(in: 8...15), on: start)
        let lookedAfter = start.addingDays(-random.int(in: 60...700))
        emit(
            EventVocabulary.linksReferred, on: start, at: workingMinute(),
            facts: context([
                (
                    "child",
                    .context(
                        FEELContext([
                            ("birth_date", .string(JSONText.isoDate(birth))),
                            ("looked_after_since", .string(JSONText.isoDate(lookedAfter))),
                        ]))
                ),
                ("school", attendanceFact()),
            ]),
            data: context([("referrer", .string("social-worker"))]))
        let consentDay = clock.addWorkingDays(start, random.int(in: 3...12))
        let consented = random.chance(0.9)
        let consentMinute = workingMinute()
        emit(
            EventVocabulary.linksConsent, on: consentDay, at: consentMinute,
            data: context([("given", .boolean(consented))]))
        guard consented else {
            emit(
                EventVocabulary.linksClosed, on: consentDay, at: minute(after: consentMinute),
                data: context([("reason", .string("consent-withheld"))]))
            return
        }
        var day = consentDay
        let found = random.int(in: 2...9)
        for _ in 0..<found {
            day = clock.addWorkingDays(day, random.int(in: 3...15))
            emit(
                EventVocabulary.linksFound, on: day, at: workingMinute(),
                data: context([("relationship", .string(random.pick(Self.relationships)))]))
        }
        let fgc = clock.addWorkingDays(
            max(day, consentDay), random.chance(0.65) ? random.int(in: 5...20) : random.int(in: 30...70))
        let fgcMinute = workingMinute()
        emit(
            EventVocabulary.linksFGCHeld, on: fgc, at: fgcMinute,
            data: context([("connections_attending", .number(Decimal(random.int(in: 1...found))))]))
        let plan = random.chance(0.7) ? fgc : clock.addWorkingDays(fgc, random.int(in: 1...5))
        emit(
            EventVocabulary.linksPlanAgreed, on: plan, at: plan == fgc ? minute(after: fgcMinute) : workingMinute(),
            data: context([("connections", .number(Decimal(found)))]))
        let review = clock.workingDay(onOrAfter: plan.addingMonths(random.int(in: 3...6)))
        emit(EventVocabulary.linksReviewHeld, on: review, at: workingMinute())
        let closed = clock.addWorkingDays(review, random.int(in: 0...20))
        for checkpoint in termEnds(after: start, before: closed) {
            driftAttendance(improving: false)
            emit(
                EventVocabulary.pepRecorded, on: checkpoint, at: workingMinute(),
                facts: context([("school", attendanceFact())]))
        }
        crises(from: start, to: closed, monthlyChance: 0.04)
        emit(
            EventVocabulary.linksClosed, on: closed, at: workingMinute(),
            data: context([("reason", .string("plan-in-care-plan"))]))
    }

    // MARK: - Pieces

    private mutating func crises(from start: FEELDate, to end: FEELDate, monthlyChance: Double) {
        var month = start
        while month < end {
            if random.chance(monthlyChance) {
                let day = month.addingDays(random.int(in: 0...29))
                if day < end {
                    // A crisis keeps no office hours: a third come in the evening or at night, any day.
                    let outOfHours = random.chance(0.35)
                    let minute = outOfHours ? random.int(in: (18 * 60)...(23 * 60 + 55)) : workingMinute()
                    emit(
                        EventVocabulary.crisisPresented, on: outOfHours ? day : clock.workingDay(onOrAfter: day),
                        at: minute,
                        data: context([("setting", .string(random.pick(weighted: Self.crisisSettings)))]))
                }
            }
            month = month.addingMonths(1)
        }
    }

    /// A birth date that makes the child exactly `age` (whole years) on `day`.
    private mutating func birthDate(age: Int, on day: FEELDate) -> FEELDate {
        day.addingMonths(-12 * age).addingDays(-random.int(in: 1...360))
    }

    /// A time between 09:00 and 17:00, on five-minute marks, as minutes after midnight.
    private mutating func workingMinute() -> Int {
        9 * 60 + 5 * random.int(in: 0...95)
    }

    /// A later time the same day (five to sixty minutes on), for what follows on from something.
    private mutating func minute(after earlier: Int) -> Int {
        min(earlier + 5 * random.int(in: 1...12), 23 * 60 + 55)
    }

    private mutating func driftAttendance(improving: Bool) {
        let trend = improving ? 0.012 : 0.0
        attendance = min(1.0, max(0.3, attendance + trend + (random.unit() - 0.5) * 0.08))
    }

    /// `{attendance: 0.873}`: sessions attended over sessions possible, to three places.
    private func attendanceFact() -> FEELValue {
        let thousandths = Int((attendance * 1000).rounded())
        let value = Decimal(sign: .plus, exponent: -3, significand: Decimal(thousandths))
        return .context(FEELContext([("attendance", .number(value))]))
    }

    /// The working days on or after the usual ends of the six school half-terms, strictly between two days.
    private func halfTermEnds(after start: FEELDate, before end: FEELDate) -> [FEELDate] {
        schoolCheckpoints([(10, 20), (12, 18), (2, 14), (3, 31), (5, 24), (7, 20)], after: start, before: end)
    }

    /// The working days on or after the ends of the three school terms (a PEP review each term).
    private func termEnds(after start: FEELDate, before end: FEELDate) -> [FEELDate] {
        schoolCheckpoints([(12, 15), (3, 31), (7, 15)], after: start, before: end)
    }

    private func schoolCheckpoints(_ monthDays: [(Int, Int)], after start: FEELDate, before end: FEELDate)
        -> [FEELDate]
    {
        var result: [FEELDate] = []
        for year in start.year...max(start.year, end.year) {
            for (month, day) in monthDays {
                let date = clock.workingDay(onOrAfter: FEELDate(year: year, month: month, day: day))
                if date > start && date < end { result.append(date) }
            }
        }
        return result.sorted()
    }

    private func context(_ entries: [(key: String, value: FEELValue)]) -> FEELContext {
        FEELContext(entries)
    }

    private mutating func emit(
        _ type: String, on day: FEELDate, at minute: Int, facts: FEELContext? = nil, data: FEELContext? = nil
    ) {
        guard day >= from && day <= to else { return }
        pending.append((clock.instant(day, minuteOfDay: minute), type, facts, data))
    }

    /// Orders the story by time (keeping story order for equal times) and numbers it: `C-00001-0001`.
    private mutating func finish() {
        let ordered = pending.enumerated().sorted { lhs, rhs in
            lhs.element.at != rhs.element.at ? lhs.element.at < rhs.element.at : lhs.offset < rhs.offset
        }
        events = ordered.enumerated().map { number, item in
            let digits = String(number + 1)
            return SimulatedEvent(
                id: caseID + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits,
                caseID: caseID, type: item.element.type, at: item.element.at, facts: item.element.facts,
                data: item.element.data)
        }
    }

    // MARK: - Code lists (CIN census codes and plain words, never names)

    private static let referralSources: [(String, Int)] = [
        ("school", 22), ("police", 28), ("health", 14), ("family", 8), ("la-services", 10), ("housing", 3),
        ("anonymous", 4), ("other", 11),
    ]
    private static let primaryNeeds: [(String, Int)] = [
        ("N1", 50), ("N2", 6), ("N3", 4), ("N4", 6), ("N5", 3), ("N6", 5), ("N7", 3), ("N8", 8), ("N9", 5),
    ]
    private static let trustedProfessionals: [(String, Int)] = [
        ("teacher", 30), ("school-nurse", 8), ("youth-worker", 18), ("social-worker", 20),
        ("family-support-worker", 14), ("camhs-clinician", 6), ("sports-coach", 4),
    ]
    private static let closureReasons: [(String, Int)] = [
        ("RC7", 62), ("RC9", 22), ("RC5", 6), ("RC3", 3), ("RC4", 2), ("RC8", 5),
    ]
    private static let crisisSettings: [(String, Int)] = [
        ("emergency-department", 30), ("police", 30), ("school", 20), ("home", 15), ("missing-episode", 5),
    ]
    private static let relationships = [
        "grandparent", "aunt-or-uncle", "sibling", "cousin", "former-foster-carer", "teacher", "family-friend",
        "residential-worker",
    ]
}
