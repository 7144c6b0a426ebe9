import Utilities

/// What one model costs per million tokens from an instant on (nano-dollars, exact).
public struct ModelPrice: Sendable, Equatable {
    /// From when the price applies (µs, by the metric's timestamp); `Int64.min`: always.
    public var validFrom: Int64
    public var inputNanosPerMillion: Int64
    public var outputNanosPerMillion: Int64
    /// Input tokens read from the provider's cache; nil: priced as other input tokens.
    public var cachedInputNanosPerMillion: Int64?

    public init(
        validFrom: Int64 = Int64.min, inputNanosPerMillion: Int64, outputNanosPerMillion: Int64,
        cachedInputNanosPerMillion: Int64? = nil
    ) {
        self.validFrom = validFrom
        self.inputNanosPerMillion = inputNanosPerMillion
        self.outputNanosPerMillion = outputNanosPerMillion
        self.cachedInputNanosPerMillion = cachedInputNanosPerMillion
    }

    /// The cost of one operation, in nano-dollars:
    /// `round((uncached input × input + cached × cached_input + output × output) / 1,000,000)`,
    /// the sum taken exactly in 128 bits and rounded half up once. Nil past `Int64.max`.
    public func costNanos(inputTokens: Int64, cachedInputTokens: Int64, outputTokens: Int64) -> Int64? {
        let cached = Int128(cachedInputTokens)
        let uncached = Int128(inputTokens) - cached
        let sum =
            uncached * Int128(inputNanosPerMillion) + cached
            * Int128(cachedInputNanosPerMillion ?? inputNanosPerMillion) + Int128(outputTokens)
            * Int128(outputNanosPerMillion)
        let nanos = (sum + 500_000) / 1_000_000
        guard nanos >= 0, nanos <= Int128(Int64.max) else { return nil }
        return Int64(nanos)
    }
}

/// The `prices` section of the rules: per model (exact name), its prices in order of `valid_from`.
/// A metric is priced by the entry in force at its timestamp, so a price change never rewrites
/// the cost of operations before it.
public struct PriceTable: Sendable, Equatable {
    /// Models by exact name; each list ascending by `validFrom`, without two equal instants.
    public private(set) var models: [String: [ModelPrice]] = [:]

    /// The most models a table holds.
    public static let maximumModels = 2_000
    /// The most dated prices one model holds.
    public static let maximumPricesPerModel = 100
    /// The longest model name (UTF-8 bytes).
    public static let maximumModelNameBytes = 256
    /// The highest price per million tokens (USD).
    public static let maximumUSDPerMillion: Double = 1_000_000

    public init() {}

    public var isEmpty: Bool { models.isEmpty }

    /// The price of `model` in force at `timestamp`, nil when the table has none.
    public func price(of model: String, at timestamp: Int64) -> ModelPrice? {
        guard let prices = models[model] else { return nil }
        return prices.last { $0.validFrom <= timestamp }
    }

    /// A model name the table accepts: 1–256 bytes of printable text.
    public static func isModelName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumModelNameBytes
            && name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }

    /// The section as JSON: each model's prices as a list of
    /// `{"valid_from", "input_usd_per_million", "output_usd_per_million", "cached_input_usd_per_million"}`.
    public var document: JSONValue {
        var object = JSONObject()
        for name in models.keys.sorted() {
            object[name] = .array(
                models[name]!.map { p in
                    .object([
                        "valid_from": p.validFrom == Int64.min ? .null : .string(UTCTime.formatISO8601(p.validFrom)),
                        "input_usd_per_million": .double(Money.usd(p.inputNanosPerMillion)),
                        "output_usd_per_million": .double(Money.usd(p.outputNanosPerMillion)),
                        "cached_input_usd_per_million": p.cachedInputNanosPerMillion.map { .double(Money.usd($0)) }
                            ?? .null,
                    ])
                })
        }
        return .object(object)
    }

    /// Parses the section: an object from model name to one price (valid always) or a list of
    /// dated prices. Errors name the field (`prices.<model>[i].<key>`).
    public init(json: JSONValue) throws(Rules.Invalid) {
        guard let object = json.objectValue else {
            throw Rules.Invalid(field: "prices", message: "must be an object from model name to its prices")
        }
        guard object.count <= Self.maximumModels else {
            throw Rules.Invalid(field: "prices", message: "holds at most \(Self.maximumModels) models")
        }
        for (name, value) in object {
            let field = "prices.\(name)"
            guard Self.isModelName(name) else {
                throw Rules.Invalid(
                    field: field, message: "a model name is 1 to \(Self.maximumModelNameBytes) bytes of printable text")
            }
            let entries: [(JSONValue, String)]
            if let list = value.arrayValue {
                guard !list.isEmpty, list.count <= Self.maximumPricesPerModel else {
                    throw Rules.Invalid(
                        field: field, message: "must list 1 to \(Self.maximumPricesPerModel) prices")
                }
                entries = list.enumerated().map { ($1, "\(field)[\($0)]") }
            } else {
                entries = [(value, field)]
            }
            var prices: [ModelPrice] = []
            for (entry, entryField) in entries {
                prices.append(try Self.price(entry, field: entryField))
            }
            prices.sort { $0.validFrom < $1.validFrom }
            for (a, b) in zip(prices, prices.dropFirst()) where a.validFrom == b.validFrom {
                throw Rules.Invalid(field: field, message: "two prices have the same valid_from")
            }
            models[name] = prices
        }
    }

    private static func price(_ value: JSONValue, field: String) throws(Rules.Invalid) -> ModelPrice {
        guard let object = value.objectValue else { throw Rules.Invalid(field: field, message: "must be an object") }
        var validFrom = Int64.min
        var input: Int64?
        var output: Int64?
        var cached: Int64?
        for (key, raw) in object {
            let keyField = "\(field).\(key)"
            switch key {
            case "valid_from":
                if raw.isNull { continue }
                guard let text = raw.stringValue, let t = UTCTime.parseISO8601(text) else {
                    throw Rules.Invalid(field: keyField, message: "must be an ISO-8601 time with a UTC offset, or null")
                }
                validFrom = t
            case "input_usd_per_million": input = try perMillion(raw, keyField)
            case "output_usd_per_million": output = try perMillion(raw, keyField)
            case "cached_input_usd_per_million":
                if raw.isNull { continue }
                cached = try perMillion(raw, keyField)
            default:
                throw Rules.Invalid(
                    field: keyField,
                    message:
                        "unknown field \(key) (valid_from, input_usd_per_million, output_usd_per_million, cached_input_usd_per_million)"
                )
            }
        }
        guard let input else { throw Rules.Invalid(field: "\(field).input_usd_per_million", message: "is required") }
        guard let output else {
            throw Rules.Invalid(field: "\(field).output_usd_per_million", message: "is required")
        }
        return ModelPrice(
            validFrom: validFrom, inputNanosPerMillion: input, outputNanosPerMillion: output,
            cachedInputNanosPerMillion: cached)
    }

    private static func perMillion(_ value: JSONValue, _ field: String) throws(Rules.Invalid) -> Int64 {
        guard let usd = value.doubleValue, usd.isFinite, usd >= 0, usd <= maximumUSDPerMillion,
            let nanos = Money.nanos(fromUSD: usd)
        else {
            throw Rules.Invalid(field: field, message: "must be a number of USD from 0 to \(Int(maximumUSDPerMillion))")
        }
        return nanos
    }
}
