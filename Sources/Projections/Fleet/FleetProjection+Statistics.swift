import Utilities

/// The statistical reads of §3: percentiles, outliers and trends of a metric over a window.
extension FleetProjection {
    // MARK: §3 Percentiles and outliers

    /// `GET /metrics/percentiles/{metric}`.
    public func percentiles(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?
    ) -> PercentileSummary {
        var values = self.values(metric, in: window, agentID: agentID, operation: operation)
        // Mean and deviation over the values in visit order (as the outliers read computes
        // them); then only the order statistics the percentiles need, by selection.
        let mean = Statistics.mean(values)
        let deviation = mean.map { Statistics.populationStandardDeviation(values, mean: $0) }
        let p = Statistics.percentiles(selecting: &values, [50, 75, 90, 95, 99])
        return PercentileSummary(
            metric: metric, agentID: agentID, p50: p[0], p75: p[1], p90: p[2], p95: p[3], p99: p[4], mean: mean,
            median: p[0], standardDeviation: deviation, count: values.count)
    }

    /// One outlier: index into the population, z-score.
    public struct Outlier: Sendable, Equatable {
        public var id: Int64
        public var agentID: Int64
        public var value: Double
        public var z: Double
        public var mean: Double
        public var timestamp: Int64
        public var operation: String
    }

    /// Outliers of a population (|z| > threshold; none below 3 values or with std 0), sorted by
    /// |z| descending, then id.
    public func findOutliers(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?, zThreshold: Double
    ) -> [Outlier] {
        let values = self.values(metric, in: window, agentID: agentID, operation: operation)
        guard values.count >= 3, let mean = Statistics.mean(values),
            case let std = Statistics.populationStandardDeviation(values, mean: mean), std > 0,
            !values.allSatisfy({ $0 == values[0] })
        else { return [] }
        var out: [Outlier] = []
        func check(_ s: MetricBlock, _ i: Int, _ v: Double) {
            let z = (v - mean) / std
            if abs(z) > zThreshold {
                out.append(
                    Outlier(
                        id: s.ids[i], agentID: s.agentID, value: v, z: z, mean: mean,
                        timestamp: s.timestamps[i], operation: metrics.operationNames[Int(s.operations[i])]))
            }
        }
        if operation != nil {
            forEachMetric(in: window, agents: agentID.map { [$0] }, operation: operation) { s, i in
                if let v = s.value(metric, at: i) { check(s, i, v) }
            }
        } else {
            // The same visit (agents ascending, then time), one loop per metric's column.
            for id in agentID.map({ [$0] }) ?? metrics.series.keys.sorted() {
                metrics.series[id]?.forEachSlice(from: window.start, through: window.end) { s, range in
                    switch metric {
                    case .executionTime: for i in range { check(s, i, s.executionTimes[i]) }
                    case .qualityScore: for i in range where !s.qualities[i].isNaN { check(s, i, s.qualities[i]) }
                    case .tokens: for i in range { check(s, i, Double(s.tokens[i])) }
                    case .cost: for i in range { check(s, i, Money.usd(s.costs[i])) }
                    }
                }
            }
        }
        out.sort { abs($0.z) != abs($1.z) ? abs($0.z) > abs($1.z) : $0.id < $1.id }
        return out
    }

    /// `GET /metrics/outliers/{metric}`.
    public func outliers(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?, zThreshold: Double,
        limit: Int
    ) -> OutlierList {
        let found = findOutliers(metric, window: window, agentID: agentID, operation: operation, zThreshold: zThreshold)
        return OutlierList(
            metric: metric, zThreshold: zThreshold, count: found.count,
            items: found.prefix(limit).map { OutlierList.Item(outlier: $0, agentName: agentName($0.agentID)) })
    }

    // MARK: §3 Trends

    /// The daily series of a trend metric: x = whole days since the day of `origin`. Each agent's
    /// window in hourly pieces (whole hours from the rollups, the edges from the raw columns; only
    /// metrics still stored raw count), agents ascending; sums per day in a flat array by day when
    /// the window's days are few (always, for the trends read's lookback of at most 365 days), else
    /// by dictionary.
    func dailySeries(
        _ metric: TrendMetric, window: TimeWindow, agentID: Int64?, origin: Int64
    ) -> (days: [Int64], means: [Double], overall: Double?) {
        let originDay = UTCTime.dayIndex(origin)
        let lastDay = window.end >= window.start ? UTCTime.dayIndex(window.end) - originDay : -1
        let dense = lastDay >= 0 && UTCTime.dayIndex(window.start) >= originDay && lastDay < 1 << 16
        var denseSums = [(sum: Double, count: Int)](repeating: (0, 0), count: dense ? Int(lastDay) + 1 : 0)
        var sparseSums: [Int64: (Double, Int)] = [:]
        var total = 0.0
        var count = 0
        for id in agentID.map({ [$0] }) ?? metrics.series.keys.sorted() {
            metrics.series[id]?.forEachPiece(from: window.start, through: window.end, rawOnly: true) { t, piece in
                let sum: Double
                let n: Int
                switch metric {
                case .executionTime: (sum, n) = (piece.executionSum, piece.operations)
                case .cost: (sum, n) = (Money.usd(piece.costNanos), piece.operations)
                case .successRate: (sum, n) = (Double(piece.successes) * 100, piece.operations)
                case .qualityScore: (sum, n) = (piece.qualitySum, piece.qualityCount)
                }
                guard n > 0 else { return }
                let day = UTCTime.dayIndex(t) - originDay
                if dense {
                    denseSums[Int(day)].sum += sum
                    denseSums[Int(day)].count += n
                } else {
                    sparseSums[day, default: (0, 0)].0 += sum
                    sparseSums[day, default: (0, 0)].1 += n
                }
                total += sum
                count += n
            }
        }
        let overall = count == 0 ? nil : total / Double(count)
        if dense {
            let present = denseSums.indices.filter { denseSums[$0].count > 0 }
            return (
                present.map { Int64($0) }, present.map { denseSums[$0].sum / Double(denseSums[$0].count) }, overall
            )
        }
        let days = sparseSums.keys.sorted()
        return (days, days.map { sparseSums[$0]!.0 / Double(sparseSums[$0]!.1) }, overall)
    }

    /// The trend of a metric over `[asOf − lookback days, asOf]`.
    public func trendFit(_ metric: TrendMetric, asOf: Int64, lookbackDays: Int64, agentID: Int64?) -> TrendFit {
        let window = TimeWindow(start: asOf - lookbackDays * UTCTime.microsecondsPerDay, end: asOf)
        let series = dailySeries(metric, window: window, agentID: agentID, origin: window.start)
        return TrendFit.fit(days: series.days, means: series.means, allValuesMean: series.overall, metric: metric)
    }

    /// `GET /metrics/trends/{metric}`.
    public func trends(_ metric: TrendMetric, asOf: Int64, lookbackDays: Int64, agentID: Int64?) -> TrendReport {
        let fit = trendFit(metric, asOf: asOf, lookbackDays: lookbackDays, agentID: agentID)
        return TrendReport(
            metric: metric, fit: fit, start: asOf - lookbackDays * UTCTime.microsecondsPerDay, end: asOf)
    }
}
