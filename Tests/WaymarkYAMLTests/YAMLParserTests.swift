import Testing
import WaymarkYAML

@Suite struct YAMLParserTests {
    @Test func nodesKeepFileLineAndColumn() throws {
        let doc = try YAMLParser.parse("pathway: rb\nstages:\n  referral:\n    title: Referral\n", file: "w.yaml")
        let root = try #require(doc.root)
        #expect(root.start == YAMLMark(line: 1, column: 1, offset: 0))
        let title = try #require(root["stages"]?["referral"]?["title"])
        #expect(title.text == "Referral")
        #expect(title.file == "w.yaml")
        #expect(title.start == YAMLMark(line: 4, column: 12, offset: 43))
        #expect(title.end == YAMLMark(line: 4, column: 20, offset: 51))
        let keys = root.mapping?.map { $0.key.text }
        #expect(keys == ["pathway", "stages"])
    }

    @Test func scalarsAreNeverResolvedImplicitly() throws {
        let doc = try YAMLParser.parse("on: yes\nno: 010\nn: ~\n")
        let pairs = try #require(doc.root?.mapping)
        #expect(pairs.map { $0.key.text } == ["on", "no", "n"])
        #expect(pairs.map { $0.value.text } == ["yes", "010", "~"])
        #expect(pairs[2].value.scalar?.isNull == true)
    }

    @Test func stylesAndTagsAreKept() throws {
        let doc = try YAMLParser.parse("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  lit\ne: >-\n  fold\nf: !!str 3\n")
        let root = try #require(doc.root)
        #expect(root["a"]?.scalar?.style == .plain)
        #expect(root["b"]?.scalar?.style == .singleQuoted)
        #expect(root["c"]?.scalar?.style == .doubleQuoted)
        #expect(root["d"]?.scalar == YAMLScalar(text: "lit\n", style: .literal))
        #expect(root["e"]?.scalar == YAMLScalar(text: "fold", style: .folded))
        #expect(root["f"]?.tag == "tag:yaml.org,2002:str")
    }

    @Test func anchorsAndAliasesShareTheirNode() throws {
        let doc = try YAMLParser.parse("base: &b { role: manager, due: 1 day }\nx: *b\ny: [*b, *b]\n")
        let root = try #require(doc.root)
        #expect(root["x"]?["role"]?.text == "manager")
        #expect(root["y"]?.sequence?.count == 2)
        #expect(root["y"]?.sequence?[1]["due"]?.text == "1 day")
        // The alias node is positioned where the alias was written.
        #expect(root["x"]?.start.line == 2)
        #expect(root["x"]?.start.column == 4)
    }

    @Test func unknownAnchorIsAnError() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse("a: *nothing\n") }
        let error = parseError("a: &a [1, *a]\n")
        #expect(error?.code == .unknownAnchor)
    }

    @Test func aliasBombIsRefusedAtTheAliasThatGoesPastTheLimit() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = parseError(text, file: "bomb.yaml")
        #expect(error?.code == .aliasExpansion)
        #expect(error?.file == "bomb.yaml")
        // Levels count 10, 91, 820, 7381, 66430 nodes; the running total of expansions passes
        // 100 000 at the first alias of level five (line 6).
        #expect(error?.line == 6)
        #expect(error?.description.hasPrefix("bomb.yaml:6:") == true)
    }

    @Test func aliasLimitIsConfigurable() {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(parseError(text, limits: YAMLLimits(maxAliasExpansion: 8)) == nil)
        let error = parseError(text, limits: YAMLLimits(maxAliasExpansion: 7))
        #expect(error?.code == .aliasExpansion)
        #expect(error?.line == 2)
        #expect(error?.column == 9)
    }

    @Test func nestingDepthIsBounded() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(parseError(deep, limits: YAMLLimits(maxDepth: 40)) == nil)
        let error = parseError(deep, limits: YAMLLimits(maxDepth: 39))
        #expect(error?.code == .depth)
        #expect(error?.column == 40)
    }

    @Test func documentSizeIsBounded() {
        let error = parseError("a: 1234567890\n", limits: YAMLLimits(maxDocumentBytes: 10))
        #expect(error?.code == .documentSize)
        #expect(parseError("a: 1\n", limits: YAMLLimits(maxDocumentBytes: 10)) == nil)
    }

    @Test func duplicateKeysAreErrorsAtTheSecondKey() {
        let error = parseError("stages:\n  a: 1\n  b: 2\n  'a': 3\n", file: "d.yaml")
        #expect(error?.code == .duplicateKey)
        #expect(error?.line == 4)
        #expect(error?.column == 3)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test func duplicateKeysInLargeMappingsAreFound() {
        var text = ""
        for i in 0..<40 { text += "k\(i): \(i)\n" }
        text += "k7: again\n"
        let error = parseError(text)
        #expect(error?.code == .duplicateKey)
        #expect(error?.line == 41)
        #expect(error?.message.contains("line 8") == true)
        #expect(parseError(String(text.dropLast(10))) == nil)
    }

    @Test func syntaxErrorsAreReportedAtTheirPosition() {
        let error = parseError("a: 1\nb: [1, 2\nc: 3\n", file: "s.yaml")
        #expect(error?.code == .syntax)
        #expect(error?.file == "s.yaml")
        #expect(error?.line == 3)
        let tab = parseError("a:\n\tb: 1\n")
        #expect(tab?.code == .syntax)
        #expect(tab?.line == 2)
        #expect(tab?.column == 1)
    }

    @Test func aSecondDocumentIsRefused() {
        let error = parseError("a: 1\n---\nb: 2\n")
        #expect(error?.code == .multipleDocuments)
        #expect(error?.line == 2)
    }

    @Test func emptyFileHasNoRoot() throws {
        #expect(try YAMLParser.parse("").root == nil)
        #expect(try YAMLParser.parse("# only a comment\n").root == nil)
    }

    @Test func offsetsCountBytesAfterNonASCIIText() throws {
        let doc = try YAMLParser.parse("é: ünïcode\nb: x\n")
        let b = try #require(doc.root?.mapping?[1])
        #expect(b.key.start.line == 2)
        #expect(b.key.start.column == 1)
        #expect(b.key.start.offset == 14)
        #expect(doc.source[b.key.start.offset] == UInt8(ascii: "b"))
        #expect(b.value.start.offset == 17)
    }

    private func parseError(
        _ text: String, file: String = "t.yaml", limits: YAMLLimits = .default
    ) -> YAMLError? {
        do {
            _ = try YAMLParser.parse(text, file: file, limits: limits)
            return nil
        } catch {
            return error
        }
    }
}
