import WaymarkFEEL
import WaymarkModel
import WaymarkYAML

/// Compiles the FEEL texts of a definitions file, and maps FEEL's errors back into the YAML file.
extension FileContext {
    /// Compiles `text` with the scope every Waymark expression sees (`event`, `case`, `facts`, `task`).
    ///
    /// - Parameter offset: where `text` starts inside the scalar's value (non-zero for a `{{ }}` part).
    func compileFEEL(_ text: String, in node: YAMLNode, offset: Int = 0) -> FEELExpression? {
        do {
            return try FEELCompiler.compile(text, functionNames: functionNames)
        } catch {
            if FEELCompiler.isUnimplemented(error) { return nil }
            let mark = document.mark(ofValueOffset: offset + max(0, error.offset), in: node)
            self.error("FEEL: \(error.message)", at: location(mark), code: "feel-syntax")
            return nil
        }
    }

    /// A FEEL expression field; empty text is an error, since it means nothing.
    func expression(_ node: YAMLNode, key: String) -> Expression? {
        guard let text = Fields.string(node, key: key, context: self) else { return nil }
        if text.allSatisfy(\.isWhitespace) {
            self.error("`\(key)` is empty: write a FEEL expression", at: node, code: "empty-expression")
            return nil
        }
        guard let compiled = compileFEEL(text, in: node) else { return nil }
        return Expression(source: text, location: valueLocation(node), compiled: compiled)
    }

    /// A message with `{{ expr }}` parts, each compiled as FEEL.
    func template(_ node: YAMLNode, key: String) -> MessageTemplate? {
        guard let text = Fields.string(node, key: key, context: self) else { return nil }
        let bytes = Array(text.utf8)
        var parts: [MessageTemplate.Part] = []
        var literalStart = 0
        var i = 0
        var ok = true
        func literal(_ end: Int) {
            if end > literalStart {
                parts.append(.text(String(decoding: bytes[literalStart..<end], as: UTF8.self)))
            }
        }
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{") && bytes[i + 1] == UInt8(ascii: "{") else {
                i += 1
                continue
            }
            var j = i + 2
            while j + 1 < bytes.count && !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) {
                j += 1
            }
            guard j + 1 < bytes.count else {
                self.error(
                    "`{{` is not closed with `}}` in the message",
                    at: location(document.mark(ofValueOffset: i, in: node)),
                    code: "bad-template")
                ok = false
                break
            }
            literal(i)
            let inner = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
            if inner.allSatisfy(\.isWhitespace) {
                self.error(
                    "`{{ }}` is empty: put a FEEL expression inside",
                    at: location(document.mark(ofValueOffset: i, in: node)), code: "empty-expression")
                ok = false
            } else if let compiled = compileFEEL(inner, in: node, offset: i + 2) {
                let at = location(document.mark(ofValueOffset: i + 2, in: node))
                parts.append(.expression(Expression(source: inner, location: at, compiled: compiled)))
            } else {
                ok = false
            }
            i = j + 2
            literalStart = i
        }
        literal(bytes.count)
        guard ok else { return nil }
        return MessageTemplate(source: text, location: valueLocation(node), parts: parts)
    }
}

/// The one place that calls the FEEL compiler, so that its signature lives in one line.
enum FEELCompiler {
    static func compile(_ text: String, functionNames: [String]) throws(FEELError) -> FEELExpression {
        try FEELExpression(text, names: Expression.scopeNames, functionNames: functionNames)
    }

    /// Until the FEEL module lands, its placeholder refuses every text; that says nothing about the
    /// definitions, so it is not reported.
    static func isUnimplemented(_ error: FEELError) -> Bool {
        error.message == "FEEL is not implemented yet"
    }
}
