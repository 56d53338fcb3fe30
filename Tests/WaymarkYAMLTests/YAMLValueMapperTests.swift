import Testing
import WaymarkYAML

/// Every case asks where a given character of a scalar's value was written, the way the definitions
/// loader maps a FEEL error inside a YAML value back to the file.
@Suite struct YAMLValueMapperTests {
    /// Finds `needle` in the value and returns the file position the mapper gives for it.
    private func position(of needle: String, in key: String, _ text: String) throws -> (Int, Int) {
        let doc = try YAMLParser.parse(text)
        let node = try #require(doc.root?[key])
        let value = try #require(node.text)
        let range = try #require(value.utf8.firstRange(of: needle.utf8))
        let offset = value.utf8.distance(from: value.utf8.startIndex, to: range.lowerBound)
        let mark = doc.mark(ofValueOffset: offset, in: node)
        #expect(Array(doc.source[mark.offset..<(mark.offset + needle.utf8.count)]) == Array(needle.utf8))
        return (mark.line, mark.column)
    }

    @Test func plainSingleLine() throws {
        #expect(try position(of: "b >", in: "when", "x: 1\nwhen: a and b > 3\n") == (2, 13))
    }

    @Test func quotedSingleLine() throws {
        #expect(try position(of: "cc", in: "w", "w: 'a''b cc'\n") == (1, 10))
        #expect(try position(of: "zz", in: "w", "w: \"a\\tb\\u00e9 zz\"\n") == (1, 16))
    }

    @Test func plainOverSeveralLines() throws {
        #expect(try position(of: "third", in: "w", "w: first\n   second\n   third\n") == (3, 4))
    }

    @Test func doubleQuotedOverSeveralLines() throws {
        #expect(try position(of: "next", in: "w", "w: \"one \\\n  two\n  next\"\n") == (3, 3))
    }

    @Test func literalBlock() throws {
        let text = "rule:\n  when: |\n    a = 1\n      and b\n    or c\n"
        let doc = try YAMLParser.parse(text)
        let node = try #require(doc.root?["rule"]?["when"])
        #expect(node.text == "a = 1\n  and b\nor c\n")
        #expect(try position(of: "and", in: "w", "w: |\n    a = 1\n      and b\n    or c\n") == (3, 7))
        #expect(try position(of: "or c", in: "w", "w: |\n    a = 1\n      and b\n    or c\n") == (4, 5))
    }

    @Test func foldedBlockStripped() throws {
        let text = "when: >-  # folded\n  some r in case.history\n    satisfies\n  r.at >= event.at\n\n  and x\n"
        let doc = try YAMLParser.parse(text)
        let node = try #require(doc.root?["when"])
        #expect(node.text == "some r in case.history\n  satisfies\nr.at >= event.at\nand x")
        #expect(try position(of: "history", in: "when", text) == (2, 18))
        #expect(try position(of: "satisfies", in: "when", text) == (3, 5))
        #expect(try position(of: "r.at", in: "when", text) == (4, 3))
        #expect(try position(of: "x", in: "when", text) == (6, 7))
    }

    @Test func foldedJoinsLinesWithASpace() throws {
        let text = "when: >-\n  a >= 1 and\n  b = 2\n"
        let doc = try YAMLParser.parse(text)
        let node = try #require(doc.root?["when"])
        #expect(node.text == "a >= 1 and b = 2")
        // The joining space stands for the end of line 2.
        let joint = doc.mark(ofValueOffset: 10, in: node)
        #expect(joint.line == 2)
        #expect(joint.column == 13)
        #expect(try position(of: "b = 2", in: "when", text) == (3, 3))
    }

    @Test func offsetAtTheEndMapsAfterTheLastCharacter() throws {
        let doc = try YAMLParser.parse("w: abc\n")
        let node = try #require(doc.root?["w"])
        let mark = doc.mark(ofValueOffset: 3, in: node)
        #expect((mark.line, mark.column) == (1, 7))
    }

    @Test func nonASCIIColumnsCountCharacters() throws {
        #expect(try position(of: "x", in: "w", "w: \"ééé x\"\n") == (1, 9))
    }
}
