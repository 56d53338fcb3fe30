import CoreMetrics
import Metrics
import Prometheus

/// The daemon's metrics, registered on its own Prometheus registry and served at `/metrics`.
///
/// Made through swift-metrics with an explicit factory rather than the global `MetricsSystem`, so
/// that several daemons in one test process each count their own.
struct DaemonMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let eventsAccepted: CoreMetrics.Counter
    let eventsDuplicate: CoreMetrics.Counter
    let batchesRejected: CoreMetrics.Counter
    let batchesTooLarge: CoreMetrics.Counter
    let ingestDuration: Metrics.Timer
    let openTasks: CoreMetrics.Gauge
    let overdueTasks: CoreMetrics.Gauge
    let openAlerts: CoreMetrics.Gauge
    let storedEvents: CoreMetrics.Gauge
    let reloadsAccepted: CoreMetrics.Counter
    let reloadsRefused: CoreMetrics.Counter
    let timerAdvances: CoreMetrics.Counter

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        eventsAccepted = CoreMetrics.Counter(label: "waymark_events_accepted_total", factory: factory)
        eventsDuplicate = CoreMetrics.Counter(label: "waymark_events_duplicate_total", factory: factory)
        batchesRejected = CoreMetrics.Counter(label: "waymark_batches_rejected_total", factory: factory)
        batchesTooLarge = CoreMetrics.Counter(label: "waymark_batches_too_large_total", factory: factory)
        ingestDuration = Metrics.Timer(label: "waymark_ingest_duration_seconds", factory: factory)
        openTasks = CoreMetrics.Gauge(label: "waymark_open_tasks", factory: factory)
        overdueTasks = CoreMetrics.Gauge(label: "waymark_overdue_tasks", factory: factory)
        openAlerts = CoreMetrics.Gauge(label: "waymark_open_alerts", factory: factory)
        storedEvents = CoreMetrics.Gauge(label: "waymark_stored_events", factory: factory)
        reloadsAccepted = CoreMetrics.Counter(
            label: "waymark_definitions_reloads_total", dimensions: [("outcome", "accepted")], factory: factory)
        reloadsRefused = CoreMetrics.Counter(
            label: "waymark_definitions_reloads_total", dimensions: [("outcome", "refused")], factory: factory)
        timerAdvances = CoreMetrics.Counter(label: "waymark_scheduler_wakeups_total", factory: factory)
    }

    /// Counts requests by route and status class.
    func request(route: String, status: Int) {
        let factory = PrometheusMetricsFactory(registry: registry)
        CoreMetrics.Counter(
            label: "waymark_http_requests_total", dimensions: [("route", route), ("status", String(status))],
            factory: factory
        ).increment()
    }

    func observe(_ snapshot: BoardSnapshot) {
        openTasks.record(snapshot.tasks.count { $0.status == "open" || $0.status == "overdue" })
        overdueTasks.record(snapshot.tasks.count { $0.status == "overdue" })
        openAlerts.record(snapshot.alerts.count { snapshot.openCases.contains($0.caseID) })
    }
}
