extension Duration {
    /// The duration in seconds, for timings people read (tokens per second, elapsed time).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
