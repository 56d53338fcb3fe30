import Foundation
import Testing
import WaymarkFEEL
import WaymarkSimulation

@Suite struct CohortGeneratorTests {
    private func generator(seed: UInt64, cases: Int = 60) -> CohortGenerator {
        CohortGenerator(
            CohortConfiguration(
                cases: cases, seed: seed, from: FEELDate(year: 2017, month: 9, day: 1),
                to: FEELDate(year: 2021, month: 12, day: 31)))
    }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        let first = generator(seed: 2017).jsonLines()
        let second = generator(seed: 2017).jsonLines()
        let other = generator(seed: 2018).jsonLines()
        #expect(!first.isEmpty)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func addingChildrenLeavesEarlierChildrenUnchanged() {
        let small = generator(seed: 5, cases: 10).events().filter { $0.caseID == "C-00003" }.map(\.jsonLine)
        let large = generator(seed: 5, cases: 40).events().filter { $0.caseID == "C-00003" }.map(\.jsonLine)
        #expect(!small.isEmpty)
        #expect(small == large)
    }

    @Test func eventsAreSortedUniqueInRangeAndUseTheVocabulary() {
        let events = generator(seed: 11).events()
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.at <= $1.at })
        #expect(Set(events.map(\.id)).count == events.count)
        let vocabulary = Set(EventVocabulary.all)
        #expect(events.allSatisfy { vocabulary.contains($0.type) })
        let start = Int64(FEELDate(year: 2017, month: 9, day: 1).dayNumber) * 86_400 - 3600
        let end = Int64(FEELDate(year: 2022, month: 1, day: 1).dayNumber) * 86_400
        #expect(events.allSatisfy { $0.at >= start && $0.at < end })
        #expect(Set(events.map(\.caseID)).count == 60)
        #expect(events.allSatisfy { $0.caseID.wholeMatch(of: /C-\d{5}/) != nil })
    }

    @Test func everyChildStartsWithAReferralAndMostAreAgedTenToThirteen() {
        let events = generator(seed: 3, cases: 200).events()
        let byCase = Dictionary(grouping: events, by: \.caseID)
        var rightBalanceAge = 0
        for (_, story) in byCase {
            let first = story[0]
            #expect([EventVocabulary.referralReceived, EventVocabulary.linksReferred].contains(first.type))
            guard first.type == EventVocabulary.referralReceived,
                case .context(let child)? = first.facts?["child"],
                case .string(let birth)? = child["birth_date"]
            else { continue }
            let parts = birth.split(separator: "-").compactMap { Int($0) }
            let birthDate = FEELDate(year: parts[0], month: parts[1], day: parts[2])
            let referralDay = FEELDate(dayNumber: Int(first.at / 86_400))
            var age = referralDay.year - birthDate.year
            if (referralDay.month, referralDay.day) < (birthDate.month, birthDate.day) { age -= 1 }
            if (10...13).contains(age) { rightBalanceAge += 1 }
        }
        // About 60% of the cohort are Right Balance children; the rest are other ages or in care.
        #expect(rightBalanceAge > 90 && rightBalanceAge < 150)
    }

    @Test func someChildrenAreReReferredBothInsideAndOutsideTwelveMonths() {
        let events = generator(seed: 2017, cases: 251).events()
        let referrals = Dictionary(
            grouping: events.filter { $0.type == EventVocabulary.referralReceived }, by: \.caseID)
        var inside = 0
        var outside = 0
        for (_, list) in referrals where list.count > 1 {
            for (earlier, later) in zip(list, list.dropFirst()) {
                let days = (later.at - earlier.at) / 86_400
                if days < 365 { inside += 1 } else { outside += 1 }
            }
        }
        #expect(inside > 5)
        #expect(outside > 5)
    }

    @Test func theJSONLineHasTheSpecsKeysInOrder() throws {
        let event = SimulatedEvent(
            id: "C-00001-0001", caseID: "C-00001", type: "referral.received", at: 1_504_516_500,
            facts: FEELContext([("school", .context(FEELContext([("attendance", .number(Decimal(string: "0.9")!))])))]),
            data: FEELContext([("source", .string("a \"quoted\" school"))]))
        #expect(
            event.jsonLine
                == #"{"id":"C-00001-0001","case":"C-00001","type":"referral.received","at":"2017-09-04T09:15:00Z","#
                + #""facts":{"school":{"attendance":0.9}},"data":{"source":"a \"quoted\" school"}}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(event.jsonLine.utf8)) as? [String: Any]
        #expect(decoded?["case"] as? String == "C-00001")
    }
}
