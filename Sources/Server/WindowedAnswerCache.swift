import Projections
import Synchronization

/// The last answer of each windowed read (`ReadEndpoint.windowed`: percentiles, outliers,
/// insights), so that a poll whose answer did not change, such as the dashboard's every five
/// seconds with `If-None-Match`, costs a check instead of a scan of the window.
///
/// An entry is reused exactly when its answer would be computed again byte for byte: the
/// projection is at the same log position, the window starts on the same UTC day, and no stored
/// metric lies between the old and the new window's bounds (one binary search per agent). The
/// entry then moves to the new window. At most `capacity` entries (distinct queries) are kept.
final class WindowedAnswerCache: Sendable {
    struct Entry: Sendable {
        var sequence: UInt64
        var window: TimeWindow
        var bytes: [UInt8]
    }

    /// Distinct queries remembered; the oldest is dropped beyond this.
    let capacity: Int
    private let entries = Mutex<(order: [String], byKey: [String: Entry])>(([], [:]))

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The key of a request: its path and its query without the window's parameters, sorted.
    static func key(path: String, query: QueryParameters) -> String {
        let kept = query.values.filter { !["as_of", "start_date", "end_date"].contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }
        return path + "?" + kept.joined(separator: "&")
    }

    /// The cached answer for `key` if it is still exact for `window` in `projection` (and records
    /// the new window), or nil.
    func answer(key: String, window: TimeWindow, in projection: borrowing FleetProjection) -> [UInt8]? {
        guard var entry = entries.withLock({ $0.byKey[key] }) else { return nil }
        guard entry.sequence == projection.sequence,
            UTCTime.dayIndex(entry.window.start) == UTCTime.dayIndex(window.start),
            !projection.hasMetric(
                from: min(entry.window.start, window.start), through: max(entry.window.start, window.start) - 1),
            !projection.hasMetric(
                from: min(entry.window.end, window.end) + 1, through: max(entry.window.end, window.end))
        else { return nil }
        entry.window = window
        let moved = entry
        entries.withLock { $0.byKey[key] = moved }
        return entry.bytes
    }

    func store(key: String, _ entry: Entry) {
        entries.withLock { state in
            if state.byKey.updateValue(entry, forKey: key) == nil {
                state.order.append(key)
                if state.order.count > capacity {
                    state.byKey.removeValue(forKey: state.order.removeFirst())
                }
            }
        }
    }
}
