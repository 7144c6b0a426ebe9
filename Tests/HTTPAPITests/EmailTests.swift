import Foundation
import Projections
import Testing
import Utilities

@testable import FleetServices

@Suite("Alert email")
struct EmailTests {
    @Test("--email parses server, sender, recipients and severity, and refuses what it cannot use")
    func parsing() throws {
        let target = try EmailTarget(
            parsing:
                "smtp://mail.internal:2525,from=alerts@fleet.test,to=ops@fleet.test,to=lead@fleet.test,min=critical")
        #expect(target.host == "mail.internal")
        #expect(target.port == 2525)
        #expect(target.to == ["ops@fleet.test", "lead@fleet.test"])
        #expect(target.minimumSeverity == .critical)
        #expect(target.accepts(severity: "critical") && !target.accepts(severity: "warning"))
        #expect(try EmailTarget(parsing: "smtp://[::1],from=a@b.c,to=d@e.f").port == 25)
        for bad in [
            "mail.internal,from=a@b.c,to=d@e.f", "smtp://h,to=d@e.f", "smtp://h,from=a@b.c",
            "smtp://h,from=a@b.c,to=not-an-address", "smtp://h,from=a@b.c,to=x@y.z\r\nBcc: e@vil",
            "smtp://h:99999,from=a@b.c,to=d@e.f", "smtp://h,from=a@b.c,to=d@e.f,min=loud",
            "smtp://h,from=a@b.c,to=d@e.f,cc=g@h.i", "smtp://h,from=<a@b.c>,to=d@e.f",
        ] {
            #expect(throws: WebhookTarget.ParseError.self, "\(bad)") { try EmailTarget(parsing: bad) }
        }
    }

    @Test("the message: one-line RFC 2047 subject, CRLF lines, dot-stuffed, the dashboard link of the role")
    func message() throws {
        let raised = AlertRaised(
            alertID: 1, agentID: 3, rule: .budgetCritical, currentValue: 12, expectedValue: 10, thresholdValue: 10,
            deviationPercent: 20, message: "Budget alert: role dév\nat 120%", detectedAt: 1_763_380_800_000_000)
        var projection = FleetProjection()
        projection.apply(.agentRegistered(AgentRegistered(agentID: 3, name: "coder", role: "dév team")), sequence: 1)
        projection.apply(.alertRaised(raised), sequence: 42)
        let record = try #require(projection.alertBook.alert(1))
        let alert: JSONValue = [
            "id": 7, "agent_id": 3, "agent_name": "coder", "severity": "critical", "rule": "budget_critical",
            "message": .string(raised.message), "budget_scope": "role", "budget_role": "dév team",
            "current_value": 12, "expected_value": 10, "threshold_value": 10, "status": "active",
            "detected_at": "2025-11-17T12:00:00Z",
        ]
        let webhook = WebhookMessage(event: .alertRaised(raised), sequence: 42, record: record, alert: alert)
        var mail = EmailMessage(webhook, dashboard: "https://dash.example")
        #expect(mail.subject == "[critical] Budget alert: role dév at 120% — raised")
        #expect(mail.body.contains("Dashboard: https://dash.example/#/role/d%C3%A9v%20team"))
        mail = EmailMessage(webhook, dashboard: nil)
        let text = String(
            decoding: mail.data(from: "a@b.c", to: ["d@e.f"], messageID: "m@x", date: Date(timeIntervalSince1970: 0)),
            as: UTF8.self)
        #expect(text.contains("Subject: =?utf-8?B?"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.hasSuffix("\r\n-- metrics-service\r\n.\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // A body line that starts with a dot is doubled (SMTP's transparency).
        let dotted = EmailMessage(
            WebhookMessage(
                event: .alertRaised(raised), sequence: 42, record: record,
                alert: ["message": ".hidden", "severity": "info"]), dashboard: nil)
        #expect(
            String(decoding: dotted.data(from: "a@b.c", to: ["d@e.f"], messageID: "m@x", date: Date()), as: UTF8.self)
                .contains("\r\n..hidden\r\n"))
    }
}
