extension JSON {
    /// The integer at `key`, checked against `range`, or nil when the key is absent or null. `name` is
    /// how messages call the key (a path such as `text_config.vocab_size`); it defaults to `key`.
    public func integer(_ key: String, in range: ClosedRange<Int>, path: String, name: String? = nil) throws -> Int? {
        guard let value = self[key], !value.isNull else { return nil }
        return try InvalidValue.checked(value.intValue, key: name ?? key, in: range, path: path)
    }

    /// The finite positive number at `key` (below `limit` when given), or nil when absent or null.
    public func positiveNumber(_ key: String, below limit: Double? = nil, path: String, name: String? = nil) throws -> Double? {
        guard let value = self[key], !value.isNull else { return nil }
        return try InvalidValue.checkedPositive(value.doubleValue, key: name ?? key, below: limit, path: path)
    }
}
