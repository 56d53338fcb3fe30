import Foundation
import Testing
import WaymarkServer

/// Debian's `chromium` in headless mode, which `scripts/install-test-deps.sh` installs.
enum HeadlessBrowser {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// The DOM of the page after the browser loaded and parsed it.
    static func dumpDOM(_ url: String, profile: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
            "--dump-dom", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reading = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        for _ in 0..<1_200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            throw Failed(description: "chromium did not finish within 60 s")
        }
        let data = await reading.value
        guard process.terminationStatus == 0 else {
            throw Failed(description: "chromium exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite(.serialized) struct BoardPageBrowserTests {
    @Test(
        .enabled(if: HeadlessBrowser.path != nil, "chromium is missing: run scripts/install-test-deps.sh"),
        .timeLimit(.minutes(2))
    )
    func theBoardShowsTheRoleTasksOverdueFirstAndTheOpenAlerts() async throws {
        let directory = try TemporaryDirectory()
        let tokens = try TokenFile(
            json: Data(
                """
                {"tokens": [
                  {"name": "cms", "sha256": "\(TokenFile.hash(token: "w-token"))", "scopes": ["events:write"]},
                  {"name": "board", "sha256": "\(TokenFile.hash(token: "b-token"))", "scopes": ["tasks:read"],
                   "roles": ["social-worker"]}
                ]}
                """.utf8
            )
        )
        let daemon = try await RunningDaemon.start(store: directory.path("w.db"), tokens: tokens)
        defer { Task { await daemon.stop() } }
        let batch = [
            Fixture.referral("e1", case: "C-OPEN", at: Fixture.isoUTC(daysFromNow: -0.5)),
            Fixture.referral("e2", case: "C-LATE", at: Fixture.isoUTC(daysFromNow: -5)),
            Fixture.referral("e3", case: "C-DONE", at: Fixture.isoUTC(daysFromNow: -1)),
            Fixture.decided("e4", case: "C-DONE", at: Fixture.isoUTC(daysFromNow: -0.9)),
        ].joined(separator: "\n")
        let posted = try await HTTP.post(
            daemon.base + "/v1/events", batch, headers: ["Authorization": "Bearer w-token"])
        #expect(posted.status == 200)

        let dom = try await HTTPBrowserPage.load(daemon.base + "/?access_token=b-token", in: directory.path("profile"))
        #expect(dom.contains("Waymark task board"))
        #expect(dom.contains("2 open tasks, 1 overdue."))
        let rows = HTTPBrowserPage.taskRows(dom)
        #expect(rows.map(\.caseID) == ["C-LATE", "C-OPEN"])
        #expect(rows.map(\.status) == ["overdue", "open"])
        #expect(!dom.contains("C-DONE"))
        #expect(dom.contains("Open alerts (1)"))
        #expect(dom.contains("data-case=\"C-LATE\""))
        #expect(dom.contains("Assessment late"))

        // Without the token the browser gets the 401, not the board.
        let refused = try await HTTPBrowserPage.load(daemon.base + "/", in: directory.path("profile2"))
        #expect(!refused.contains("Waymark task board"))
        #expect(!refused.contains("C-LATE"))
    }
}

/// Reads the board as the browser parsed it.
enum HTTPBrowserPage {
    struct Row: Equatable {
        var status: String
        var caseID: String
    }

    static func load(_ url: String, in profile: String) async throws -> String {
        try await HeadlessBrowser.dumpDOM(url, profile: profile)
    }

    /// The task rows in page order: the row's status class and its case cell.
    static func taskRows(_ dom: String) -> [Row] {
        dom.components(separatedBy: "<tr class=\"task ").dropFirst().compactMap { chunk in
            let status = chunk.prefix { $0 != "\"" }
            let cells = chunk.components(separatedBy: "<td>")
            // Cells: due, status (class attribute, so not "<td>"), case, task, place.
            guard cells.count > 2 else { return nil }
            return Row(status: String(status), caseID: String(cells[2].prefix { $0 != "<" }))
        }
    }
}
