import APIContract
import FleetServices
import Projections
import Synchronization
import Utilities

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
        /// `FleetService.readWithGeneration`'s generation of the projection answered from.
        var generation: UInt64 = 0
        var window: TimeWindow
        var bytes: [UInt8]
        /// Which store made this entry (so a window is moved only on the entry it was checked on).
        var stamp: UInt64 = 0
    }

    /// Distinct queries remembered; the oldest is dropped beyond this.
    let capacity: Int
    /// The bytes of answers remembered, all entries together; the oldest are dropped beyond this
    /// (a client varying its query cannot make the cache hold more), and a larger answer is not kept.
    let capacityBytes: Int

    private struct Entries {
        var order: [String] = []
        var byKey: [String: Entry] = [:]
        var bytes = 0
        var stamps: UInt64 = 0
    }

    private let entries = Mutex(Entries())

    init(capacity: Int = 256, capacityBytes: Int = 64 << 20) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
    }

    /// The key of a request: its path and its raw (still percent-encoded) query in its order,
    /// without the window's parameters. Raw, so that an encoded `&` or `=` inside a value never
    /// makes two different queries one key; unsorted, since a repeated parameter's last value wins.
    static func key(path: String, rawQuery: String?) -> String {
        let kept = (rawQuery ?? "").split(separator: "&", omittingEmptySubsequences: false).filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return !["as_of", "start_date", "end_date"].contains(name.removingPercentEncoding ?? name)
        }
        return path + "?" + kept.joined(separator: "&")
    }

    /// The cached answer for `key` if it is still exact for `window` in `projection` (at
    /// `generation`), or nil. A hit records the new window on the entry.
    func answer(
        key: String, window: TimeWindow, in projection: borrowing FleetProjection, generation: UInt64
    ) -> [UInt8]? {
        guard let entry = entries.withLock({ $0.byKey[key] }) else { return nil }
        guard entry.sequence == projection.sequence, entry.generation == generation,
            UTCTime.dayIndex(entry.window.start) == UTCTime.dayIndex(window.start),
            !projection.hasMetric(
                from: min(entry.window.start, window.start), through: max(entry.window.start, window.start) - 1),
            !projection.hasMetric(
                from: min(entry.window.end, window.end) + 1, through: max(entry.window.end, window.end))
        else { return nil }
        // The entry now stands for the new window, unless it was replaced or dropped meanwhile.
        entries.withLock { state in
            if state.byKey[key]?.stamp == entry.stamp { state.byKey[key]?.window = window }
        }
        return entry.bytes
    }

    func store(key: String, _ entry: Entry) {
        guard entry.bytes.count <= capacityBytes else { return }
        entries.withLock { state in
            state.stamps += 1
            var entry = entry
            entry.stamp = state.stamps
            if let old = state.byKey.updateValue(entry, forKey: key) {
                state.bytes -= old.bytes.count
            } else {
                state.order.append(key)
            }
            state.bytes += entry.bytes.count
            while state.order.count > capacity || state.bytes > capacityBytes, !state.order.isEmpty {
                if let dropped = state.byKey.removeValue(forKey: state.order.removeFirst()) {
                    state.bytes -= dropped.bytes.count
                }
            }
        }
    }

    /// The entries and bytes held.
    var usage: (entries: Int, bytes: Int) { entries.withLock { ($0.byKey.count, $0.bytes) } }
}
