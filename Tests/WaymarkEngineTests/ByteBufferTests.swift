import Testing
import WaymarkTestSupport

@testable import WaymarkEngine

@Suite struct ByteBufferTests {
    /// Whatever mix of appends, and however often the buffer grows (from its smallest size), it
    /// holds the same bytes as an array given the same appends.
    @Test func holdsWhatWasAppendedAcrossGrowth() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        var numbers = SeededSequence(seed: 0x2545_F491_4F6C_DD1D)
        for round in 0..<5000 {
            let seed = numbers.next()
            switch round % 5 {
            case 0:
                let byte = UInt8(truncatingIfNeeded: seed >> 56)
                buffer.append(byte)
                expected.append(byte)
            case 1:
                let piece = (0..<Int(seed >> 58)).map { UInt8(truncatingIfNeeded: $0 &+ round) }
                piece.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
                expected += piece
            case 2:
                buffer.append("literal, ")
                expected += Array("literal, ".utf8)
            case 3:
                let n = Int(seed >> 40)
                buffer.writeInteger(n)
                expected += Array(String(n).utf8)
            default:
                let text = "réf-\(round)"
                buffer.write(text)
                expected += Array(text.utf8)
            }
            #expect(buffer.count == expected.count)
        }
        #expect(buffer.array == expected)
        #expect(buffer.string == String(decoding: expected, as: UTF8.self))
        buffer.removeAll()
        #expect(buffer.array.isEmpty)
    }

    /// Text composed in place keeps exactly the bytes its writer says it wrote.
    @Test func appendsWhatIsWrittenInPlace() {
        var buffer = ByteBuffer(capacity: 1)
        buffer.append("at ")
        buffer.appendInPlace(most: 40) { p in
            for (i, byte) in "2025-01-06".utf8.enumerated() { p[i] = byte }
            return 10
        }
        Moment(epochSeconds: 1_736_158_500).writeISO(in: .utc, to: &buffer)
        #expect(buffer.string == "at 2025-01-062025-01-06T10:15:00+00:00")
    }
}
