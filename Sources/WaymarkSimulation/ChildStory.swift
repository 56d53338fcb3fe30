import Foundation
import WaymarkFEEL

/// One child's story, drawn from the child's own random stream: referrals and what follows them.
///
/// The shapes follow the domain notes and the shipped pathways. Every referral is decided (mostly
/// within the working day Working Together asks for) and assessed (mostly within 45 working days of
/// the referral). A child of 10 to 13 is offered Right Balance: an FGC held on time or late (or
/// declined), a family-led plan naming a key trusted professional, a personal education plan,
/// monthly attendance reviews, reflective groups about every six weeks and reviews every three
/// months. Children in need have a CIN plan reviewed about every 12 weeks. Crises come unannounced
/// (a third out of hours); about a third of children are re-referred after closure, some within 12
/// months of the previous referral and some just outside. A few families move away before the
/// assessment, and some CIN plans end in a step-up to child protection rather than closure. Children
/// in care follow Lifelong Links, which can end at any step (withdrawn, or the child leaves care).
/// After an urgent crisis the team manager decides on a strategy discussion (mostly within the day);
/// after repeated crises the plan is reviewed with the family, at the next plan review when one is
/// near, else at a review held for the crisis. When recorded attendance falls to half or less, an
/// attendance plan is agreed with the school within about a week. Some steps run late on purpose,
/// so that the engine's overdue tasks and alerts have work to do.
struct ChildStory {
    private enum Kind {
        case rightBalance
        case childInNeed
        case inCare
    }

    /// How one child-in-need episode ended.
    private enum Ending {
        case closed(FEELDate)
        case steppedUp
    }

    let caseID: String
    private var random: SeededGenerator
    private let clock: LocalClock
    private let from: FEELDate
    private let to: FEELDate
    private var pending: [(at: Int64, type: String, facts: FEELContext?, data: FEELContext?)] = []
    /// The child's school attendance as a fraction of possible sessions, drifting over the story.
    private var attendance = 0.95
    /// While set, steps on or after this day are not told: the case closed before they happened.
    private var cutoff: FEELDate?
    /// The moments of the crises told so far, to tell how worrying the next one is.
    private var crisisMoments: [Int64] = []
    /// The attendance last told in the child's facts, to see it fall to severe absence.
    private var toldAttendance: Decimal?
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
            childInNeed(firstReferral: start, birth: birthDate(age: random.int(in: 10...13), on: start))
        case .childInNeed:
            childInNeed(
                firstReferral: start, birth: birthDate(age: random.pick([5, 6, 7, 8, 9, 14, 15, 16]), on: start))
        case .inCare:
            lifelongLinks(start: start)
        }
        finish()
    }

    // MARK: - Children in need (the CIN service, and Right Balance for those aged 10 to 13)

    private mutating func childInNeed(firstReferral: FEELDate, birth: FEELDate) {
        var referral = firstReferral
        var episode = 0
        while referral <= to && episode < 4 {
            let ending = childInNeedEpisode(referral: referral, birth: birth, first: episode == 0)
            episode += 1
            guard case .closed(let closed) = ending, random.chance(0.35) else { return }
            // Re-referral: some well inside 12 months of the last referral, some near the line, some after.
            let months = random.pick(weighted: [
                (random.int(in: 1...8), 45), (random.int(in: 9...13), 25), (random.int(in: 14...30), 30),
            ])
            let next = referral.addingMonths(months).addingDays(random.int(in: -10...10))
            referral = clock.workingDay(onOrAfter: max(next, closed.addingDays(random.int(in: 7...60))))
        }
    }

    /// One episode from referral to closure (or to a step-up to child protection).
    private mutating func childInNeedEpisode(referral: FEELDate, birth: FEELDate, first: Bool) -> Ending {
        var facts: [(key: String, value: FEELValue)] = []
        if first {
            facts.append(("child", .context(FEELContext([("birth_date", .string(JSONText.isoDate(birth)))]))))
        }
        facts.append(("school", attendanceFact()))
        let referralMinute = workingMinute()
        emit(
            EventVocabulary.referralReceived, on: referral, at: referralMinute, facts: FEELContext(facts),
            data: FEELContext([
                ("source", .string(random.pick(weighted: Self.referralSources))),
                ("primary_need", .string(random.pick(weighted: Self.primaryNeeds))),
            ]))

        // The referral decision: due within one working day; a few are made the same day, a few late.
        let delay = random.pick(weighted: [(0, 12), (1, 73), (2, 8), (3, 5), (6, 2)])
        let decided = delay == 0 ? referral : clock.addWorkingDays(referral, delay)
        let decision = random.pick(weighted: [("accept", 80), ("nfa", 12), ("early-help", 8)])
        emit(
            EventVocabulary.referralDecided, on: decided,
            at: delay == 0 ? minute(after: referralMinute) : workingMinute(),
            data: FEELContext([("decision", .string(decision))]))
        guard decision == "accept" else { return .closed(decided) }

        // The child and family assessment: 45 working days from the referral, not from the decision.
        let assessed = max(
            clock.addWorkingDays(referral, random.chance(0.82) ? random.int(in: 10...45) : random.int(in: 46...75)),
            clock.addWorkingDays(decided, 1))
        let outcome = random.pick(weighted: [("cin", 72), ("early-help", 12), ("nfa", 10), ("child-protection", 6)])
        let rightBalance = (10...13).contains(Self.age(birth, on: referral))

        // A few families move to another authority before the assessment is done: the case transfers
        // (CIN census RC5) from wherever it has reached, the referral decision or Right Balance's
        // eligibility and FGC stages included.
        if random.chance(0.04) {
            let moved = clock.addWorkingDays(decided, random.int(in: 1...25))
            if rightBalance {
                _ = rightBalanceOpening(decided: decided, until: moved)
            }
            emit(
                EventVocabulary.caseClosed, on: moved, at: workingMinute(),
                data: FEELContext([("reason", .string("RC5"))]))
            return .closed(moved)
        }

        // Right Balance: eligibility, then the FGC and the family-led plan (or support without one).
        var supportStart: FEELDate?
        if rightBalance {
            supportStart = rightBalanceOpening(decided: decided)
        }
        emit(
            EventVocabulary.assessmentCompleted, on: assessed, at: workingMinute(),
            data: FEELContext([("outcome", .string(outcome))]))

        switch outcome {
        case "cin":
            break
        case "child-protection":
            // Stepped up: the CIN pathway ends here; Right Balance's next review steps it up too.
            if let supportStart {
                let review = clock.workingDay(onOrAfter: max(assessed, supportStart).addingDays(random.int(in: 5...20)))
                emit(
                    EventVocabulary.reviewHeld, on: review, at: workingMinute(),
                    data: FEELContext([("outcome", .string("step-up"))]))
            }
            return .steppedUp
        default:
            // No further action or early help after the assessment: the case closes.
            let closed = clock.addWorkingDays(assessed, random.int(in: 0...5))
            emit(
                EventVocabulary.caseClosed, on: closed, at: workingMinute(),
                data: FEELContext([("reason", .string(outcome == "nfa" ? "RC8" : "RC9"))]))
            return .closed(closed)
        }

        let closed = clock.workingDay(onOrAfter: decided.addingMonths(random.int(in: 5...18)))
        // The CIN plan: a planning meeting within 10 working days, then reviews about every 12 weeks.
        let cinPlan = clock.addWorkingDays(
            assessed, random.chance(0.85) ? random.int(in: 2...10) : random.int(in: 11...18))
        emit(EventVocabulary.cinPlanAgreed, on: cinPlan, at: workingMinute())
        var day = cinPlan
        while true {
            day = clock.workingDay(onOrAfter: day.addingDays(84 + random.int(in: -10...(random.chance(0.15) ? 25 : 3))))
            guard day < closed else { break }
            emit(
                EventVocabulary.cinReviewHeld, on: day, at: workingMinute(),
                data: FEELContext([("outcome", .string("continue"))]))
        }
        // Reflective groups for the professionals around the family, about every six weeks.
        day = min(cinPlan, supportStart ?? cinPlan)
        while true {
            day = clock.workingDay(onOrAfter: day.addingDays(42 + random.int(in: -7...(random.chance(0.12) ? 21 : 2))))
            guard day < closed else { break }
            emit(EventVocabulary.reflectiveGroupHeld, on: day, at: workingMinute())
        }
        if let supportStart, supportStart < closed {
            rightBalanceSupport(from: supportStart, until: closed)
        } else {
            for checkpoint in halfTermEnds(after: referral, before: closed) {
                driftAttendance(improving: false)
                emit(
                    EventVocabulary.attendanceRecorded, on: checkpoint, at: workingMinute(),
                    facts: FEELContext([("school", attendanceFact())]))
            }
        }
        // Every episode that gets this far ends with a CIN review (closing or stepping up) on `closed`.
        crises(from: referral, to: closed, monthlyChance: rightBalance ? 0.08 : 0.05, reviewOnEnd: true)

        // Some plans end at a review that steps the case up to child protection instead of closing it.
        if random.chance(0.08) {
            let reviewMinute = workingMinute()
            emit(
                EventVocabulary.cinReviewHeld, on: closed, at: reviewMinute,
                data: FEELContext([("outcome", .string("step-up"))]))
            if let supportStart, supportStart < closed {
                emit(
                    EventVocabulary.reviewHeld, on: closed, at: minute(after: reviewMinute),
                    data: FEELContext([("outcome", .string("step-up"))]))
            }
            return .steppedUp
        }

        // Closure: the last reviews close the plans, then the case is closed to social care.
        let closingMinute = workingMinute()
        emit(
            EventVocabulary.cinReviewHeld, on: closed, at: closingMinute,
            data: FEELContext([("outcome", .string("close"))]))
        if let supportStart, supportStart < closed {
            emit(
                EventVocabulary.reviewHeld, on: closed, at: minute(after: closingMinute),
                data: FEELContext([("outcome", .string("close"))]))
        }
        emit(
            EventVocabulary.caseClosed, on: closed, at: min(closingMinute + 90, 23 * 60 + 55),
            data: FEELContext([("reason", .string(random.pick(weighted: Self.closureReasons)))]))
        return .closed(closed)
    }

    /// Right Balance from acceptance to the start of support; returns the day support starts, if it does.
    /// Steps on or after `until` (the day the case closed) are drawn but not told.
    private mutating func rightBalanceOpening(decided: FEELDate, until: FEELDate? = nil) -> FEELDate? {
        let saved = cutoff
        cutoff = until
        defer { cutoff = saved }
        let eligibility = clock.addWorkingDays(
            decided, random.chance(0.9) ? random.int(in: 1...4) : random.int(in: 6...9))
        let eligible = random.chance(0.93)
        emit(
            EventVocabulary.eligibilityDecided, on: eligibility, at: workingMinute(),
            data: FEELContext([("eligible", .boolean(eligible))]))
        guard eligible else { return nil }
        let prepared = clock.addWorkingDays(
            eligibility, random.chance(0.85) ? random.int(in: 5...15) : random.int(in: 16...25))
        emit(EventVocabulary.fgcPrepared, on: prepared, at: workingMinute())
        if random.chance(0.06) {
            // An FGC is voluntary; support starts without a family plan.
            let declined = clock.addWorkingDays(prepared, random.int(in: 1...5))
            emit(EventVocabulary.fgcDeclined, on: declined, at: workingMinute())
            return declined
        }
        // Due 30 working days after the offer: most on time, some slipping (over Christmas, too).
        let target = random.chance(0.7) ? random.int(in: 16...30) : random.int(in: 31...50)
        let fgc = max(clock.addWorkingDays(eligibility, target), clock.addWorkingDays(prepared, 1))
        let fgcMinute = workingMinute()
        emit(
            EventVocabulary.fgcHeld, on: fgc, at: fgcMinute,
            data: FEELContext([("child_attended", .boolean(random.chance(0.8)))]))
        let plan = random.chance(0.6) ? fgc : clock.addWorkingDays(fgc, random.chance(0.85) ? random.int(in: 1...5) : 7)
        emit(
            EventVocabulary.planAgreed, on: plan, at: plan == fgc ? minute(after: fgcMinute) : workingMinute(),
            data: FEELContext([("key_professional", .string(random.pick(weighted: Self.trustedProfessionals)))]))
        return plan
    }

    /// The support stage: the personal education plan, monthly attendance reviews and three-monthly reviews.
    private mutating func rightBalanceSupport(from start: FEELDate, until closed: FEELDate) {
        let pep = clock.addWorkingDays(start, random.chance(0.8) ? random.int(in: 5...20) : random.int(in: 21...35))
        if pep < closed {
            emit(
                EventVocabulary.pepRecorded, on: pep, at: workingMinute(),
                facts: FEELContext([("school", attendanceFact())]))
        }
        var day = start
        while true {
            day = clock.workingDay(onOrAfter: day.addingMonths(1).addingDays(random.int(in: -5...2)))
            guard day < closed else { break }
            // Schools are closed in August: that month's attendance review is missed.
            if day.month == 8 { continue }
            driftAttendance(improving: true)
            emit(
                EventVocabulary.attendanceRecorded, on: day, at: workingMinute(),
                facts: FEELContext([("school", attendanceFact())]))
        }
        day = start
        while true {
            day = clock.workingDay(
                onOrAfter: day.addingMonths(3).addingDays(random.int(in: -14...(random.chance(0.1) ? 20 : 0))))
            guard day < closed else { break }
            emit(
                EventVocabulary.reviewHeld, on: day, at: workingMinute(),
                data: FEELContext([("outcome", .string("continue"))]))
        }
    }

    // MARK: - Children in care on Lifelong Links

    private mutating func lifelongLinks(start: FEELDate) {
        let birth = birthDate(age: random.int(in: 8...15), on: start)
        let lookedAfter = start.addingDays(-random.int(in: 60...700))
        emit(
            EventVocabulary.linksReferred, on: start, at: workingMinute(),
            facts: FEELContext([
                (
                    "child",
                    .context(
                        FEELContext([
                            ("birth_date", .string(JSONText.isoDate(birth))),
                            ("looked_after", .boolean(true)),
                            ("looked_after_since", .string(JSONText.isoDate(lookedAfter))),
                        ]))
                ),
                ("school", attendanceFact()),
            ]),
            data: FEELContext([("referrer", .string("social-worker"))]))
        var end = clock.workingDay(onOrAfter: start.addingMonths(random.int(in: 9...15)))
        defer {
            for checkpoint in termEnds(after: start, before: end) {
                driftAttendance(improving: false)
                emit(
                    EventVocabulary.pepRecorded, on: checkpoint, at: workingMinute(),
                    facts: FEELContext([("school", attendanceFact())]))
            }
            crises(from: start, to: end, monthlyChance: 0.04, reviewOnEnd: false)
        }

        let consent = clock.addWorkingDays(
            start, random.chance(0.85) ? random.int(in: 2...10) : random.int(in: 11...16))
        let childAgrees = random.chance(0.92)
        let parentalConsent = random.chance(0.95)
        emit(
            EventVocabulary.linksConsent, on: consent, at: workingMinute(),
            data: FEELContext([
                ("child_agrees", .boolean(childAgrees)), ("parental_consent", .boolean(parentalConsent)),
            ]))
        guard childAgrees && parentalConsent else {
            end = consent
            return
        }
        if let left = linksEndEarly(after: consent) {
            end = left
            return
        }
        let searched = clock.addWorkingDays(
            consent, random.chance(0.75) ? random.int(in: 10...30) : random.int(in: 31...70))
        let connections = random.chance(0.05) ? 0 : random.int(in: 2...12)
        emit(
            EventVocabulary.linksSearchCompleted, on: searched, at: workingMinute(),
            data: FEELContext([("connections", .number(Decimal(connections)))]))
        guard connections > 0 else {
            end = searched
            return
        }
        if random.chance(0.04) {
            // The child withdraws while the people found are being contacted.
            end = clock.addWorkingDays(searched, random.int(in: 5...20))
            emit(
                EventVocabulary.linksClosed, on: end, at: workingMinute(),
                data: FEELContext([("reason", .string("withdrawn"))]))
            return
        }
        let engaged = clock.addWorkingDays(
            searched, random.chance(0.8) ? random.int(in: 5...30) : random.int(in: 31...45))
        emit(
            EventVocabulary.linksEngaged, on: engaged, at: workingMinute(),
            data: FEELContext([("connections_engaged", .number(Decimal(random.int(in: 1...connections))))]))
        if let left = linksEndEarly(after: engaged) {
            end = left
            return
        }
        let fgc = clock.addWorkingDays(engaged, random.chance(0.7) ? random.int(in: 5...20) : random.int(in: 21...40))
        emit(
            EventVocabulary.linksFGCHeld, on: fgc, at: workingMinute(),
            data: FEELContext([("connections_attending", .number(Decimal(random.int(in: 1...connections))))]))
        if let left = linksEndEarly(after: fgc) {
            end = left
            return
        }
        let carePlan = clock.addWorkingDays(fgc, random.chance(0.85) ? random.int(in: 3...20) : random.int(in: 21...30))
        emit(
            EventVocabulary.carePlanUpdated, on: carePlan, at: workingMinute(),
            data: FEELContext([("lifelong_links", .boolean(true))]))
        if let left = linksEndEarly(after: carePlan) {
            end = left
            return
        }
        let review = clock.workingDay(
            onOrAfter: carePlan.addingMonths(random.chance(0.85) ? random.int(in: 1...2) : 3).addingDays(
                random.int(in: 0...25)))
        emit(EventVocabulary.linksReviewHeld, on: review, at: workingMinute())
        end = max(end, review)
    }

    /// Now and then Lifelong Links ends before its next step: the child withdraws (the coordinator
    /// closes the work) or leaves care altogether (the case is closed, CIN census RC3 or RC4).
    /// Returns the day it ended, if it did.
    private mutating func linksEndEarly(after day: FEELDate) -> FEELDate? {
        guard random.chance(0.06) else { return nil }
        let ended = clock.addWorkingDays(day, random.int(in: 2...15))
        if random.chance(0.6) {
            emit(
                EventVocabulary.linksClosed, on: ended, at: workingMinute(),
                data: FEELContext([("reason", .string("withdrawn"))]))
        } else {
            emit(
                EventVocabulary.caseClosed, on: ended, at: workingMinute(),
                data: FEELContext([("reason", .string(random.chance(0.5) ? "RC3" : "RC4"))]))
        }
        return ended
    }

    // MARK: - Pieces

    /// Crises between two days, each followed by what the escalation rules ask for it.
    /// `reviewOnEnd` says that the story holds a plan review on `end`.
    private mutating func crises(from start: FEELDate, to end: FEELDate, monthlyChance: Double, reviewOnEnd: Bool) {
        var month = start
        while month < end {
            if random.chance(monthlyChance) {
                let day = month.addingDays(random.int(in: 0...29))
                if day < end {
                    // A crisis keeps no office hours: a third come in the evening or at night, any day.
                    let outOfHours = random.chance(0.35)
                    let minute = outOfHours ? random.int(in: (18 * 60)...(23 * 60 + 55)) : workingMinute()
                    let crisisDay = outOfHours ? day : clock.workingDay(onOrAfter: day)
                    let setting = random.pick(weighted: Self.crisisSettings)
                    if emit(
                        EventVocabulary.crisisPresented, on: crisisDay, at: minute,
                        data: FEELContext([("setting", .string(setting))]))
                    {
                        respond(toCrisisOn: crisisDay, at: minute, setting: setting, end: end, reviewOnEnd: reviewOnEnd)
                    }
                }
            }
            month = month.addingMonths(1)
        }
    }

    /// What follows a crisis, judged as the `crisis level` table in rules/escalation.yaml does (the
    /// number of earlier crises in the 3 months before, and whether the child went missing).
    /// Urgent: the team manager decides on a strategy discussion, due 1 working day after - most the
    /// same working day or the next morning, a few days late now and then. Repeated: the plan is
    /// reviewed with the family within 5 working days; when a plan review falls within 10 working
    /// days it waits for that review (so some are late), otherwise a review is held for the crisis.
    private mutating func respond(
        toCrisisOn day: FEELDate, at minute: Int, setting: String, end: FEELDate, reviewOnEnd: Bool
    ) {
        let moment = clock.instant(day, minuteOfDay: minute)
        let windowStart = clock.instant(day.addingMonths(-3), minuteOfDay: minute)
        let earlier = crisisMoments.filter { $0 >= windowStart && $0 < moment }.count
        crisisMoments.append(moment)
        if setting == "missing" || earlier >= 2 {
            let delay = random.pick(weighted: [(0, 55), (1, 35), (random.int(in: 2...4), 10)])
            let outcome = random.pick(weighted: [("convene", 40), ("not-needed", 60)])
            let sameDay = delay == 0 && minute < 17 * 60 && clock.calendar.isWorkingDay(day)
            emit(
                EventVocabulary.strategyDiscussionDecided,
                on: sameDay ? day : clock.addWorkingDays(day, max(1, delay)),
                at: sameDay ? self.minute(after: minute) : workingMinute(),
                data: FEELContext([("outcome", .string(outcome))]))
        } else if earlier == 1 {
            let reviewTypes = [
                EventVocabulary.reviewHeld, EventVocabulary.cinReviewHeld, EventVocabulary.linksReviewHeld,
            ]
            let told = pending.filter { $0.at > moment && reviewTypes.contains($0.type) }.map(\.at).min()
            let endOfStory = reviewOnEnd ? clock.instant(end, minuteOfDay: 9 * 60) : nil
            let nextReview = [told, endOfStory].compactMap { $0 }.min()
            let soon = clock.instant(clock.addWorkingDays(day, 10), minuteOfDay: 24 * 60 - 1)
            let held = clock.addWorkingDays(day, random.chance(0.85) ? random.int(in: 1...5) : random.int(in: 6...15))
            if let nextReview, nextReview <= soon { return }
            emit(EventVocabulary.crisisReviewHeld, on: held, at: workingMinute())
        }
    }

    /// A birth date that makes the child exactly `age` (whole years) on `day`.
    private mutating func birthDate(age: Int, on day: FEELDate) -> FEELDate {
        day.addingMonths(-12 * age).addingDays(-random.int(in: 1...360))
    }

    /// Whole years from `birth` to `day`.
    private static func age(_ birth: FEELDate, on day: FEELDate) -> Int {
        let years = day.year - birth.year
        return (day.month, day.day) < (birth.month, birth.day) ? years - 1 : years
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
        let trend = improving ? 0.006 : 0.0
        attendance = min(1.0, max(0.3, attendance + trend + (random.unit() - 0.5) * 0.06))
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

    /// Tells one event, unless it falls outside the cohort's dates or after the case closed; says
    /// whether it was told.
    @discardableResult
    private mutating func emit(
        _ type: String, on day: FEELDate, at minute: Int, facts: FEELContext? = nil, data: FEELContext? = nil
    ) -> Bool {
        guard day >= from && day <= to, cutoff.map({ day < $0 }) ?? true else { return false }
        pending.append((clock.instant(day, minuteOfDay: minute), type, facts, data))
        if case .context(let school)? = facts?["school"], case .number(let value)? = school["attendance"] {
            noteAttendance(value, recordedOn: day)
        }
        return true
    }

    /// Severe absence (half the sessions or more missed) asks for an attendance plan with the school,
    /// due 5 working days after the daily rule notices it (at 00:00 the next day): most are agreed
    /// in time, some a week or two late.
    private mutating func noteAttendance(_ value: Decimal, recordedOn day: FEELDate) {
        let severe = Decimal(5) / 10
        defer { toldAttendance = value }
        guard value <= severe, (toldAttendance ?? 1) > severe else { return }
        let agreed = clock.addWorkingDays(day, random.chance(0.8) ? random.int(in: 2...5) : random.int(in: 7...15))
        emit(EventVocabulary.attendancePlanAgreed, on: agreed, at: workingMinute())
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
        ("RC7", 70), ("RC9", 20), ("RC5", 6), ("RC3", 2), ("RC4", 2),
    ]
    private static let crisisSettings: [(String, Int)] = [
        ("a-and-e", 28), ("police", 30), ("school-exclusion", 14), ("home", 20), ("missing", 8),
    ]
}
