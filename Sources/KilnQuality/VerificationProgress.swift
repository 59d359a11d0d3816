/// How far one pass of a verification has come, for a progress display: which pass, how many of its
/// units are done out of how many, and a short note on the latest one (a running mean KLD, a tensor).
public struct VerificationProgress: Sendable, Equatable {
    public enum Phase: String, Sendable {
        /// The reference model over the text's chunks (skipped when its pass is cached).
        case reference
        /// The candidate over the same chunks, each position's KL divergence against the reference.
        case candidate
        /// Every candidate tensor's weights against the reference's (bytes of candidate weights).
        case weights
        /// The image check, one image at a time.
        case images
    }

    /// What `done` and `total` count.
    public enum Unit: Sendable, Equatable {
        case bytes
        case items(String)
    }

    public let phase: Phase
    public let done: Int
    public let total: Int
    public let detail: String

    public var unit: Unit {
        switch phase {
        case .reference, .candidate: .items("chunks")
        case .weights: .bytes
        case .images: .items("images")
        }
    }

    public init(_ phase: Phase, _ done: Int, of total: Int, _ detail: String = "") {
        self.phase = phase
        self.done = done
        self.total = total
        self.detail = detail
    }
}
