import KilnCore

/// Why a safetensors file or a sharded checkpoint was rejected.
///
/// The description is one line naming the file and the problem.
public struct SafeTensorsError: FileInputError, Sendable {
    public struct Code: Hashable, Sendable {
        private enum Wrapped: Hashable, Sendable {
            case truncated, headerTooLarge, headerPastEnd, invalidHeader, invalidTensorEntry, unknownDType
            case sizeMismatch, offsetGap, offsetOverlap, trailingBytes, duplicateTensor, invalidMetadata
            case invalidIndex, shardEscapesFolder, missingShard, tensorMissing, tensorInSeveralShards
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// The file is too short to hold the 8-byte header length.
        public static let truncated = Code(.truncated)
        /// The header length is over the 100,000,000-byte limit.
        public static let headerTooLarge = Code(.headerTooLarge)
        /// The header length points past the end of the file.
        public static let headerPastEnd = Code(.headerPastEnd)
        /// The header is not UTF-8 JSON describing an object.
        public static let invalidHeader = Code(.invalidHeader)
        /// A tensor entry lacks or misstates dtype, shape or data_offsets.
        public static let invalidTensorEntry = Code(.invalidTensorEntry)
        public static let unknownDType = Code(.unknownDType)
        /// shape × dtype size differs from the tensor's byte span (or overflows).
        public static let sizeMismatch = Code(.sizeMismatch)
        public static let offsetGap = Code(.offsetGap)
        public static let offsetOverlap = Code(.offsetOverlap)
        /// The data buffer holds bytes no tensor covers, or tensors reach past its end.
        public static let trailingBytes = Code(.trailingBytes)
        public static let duplicateTensor = Code(.duplicateTensor)
        /// `__metadata__` is not a string-to-string map.
        public static let invalidMetadata = Code(.invalidMetadata)
        /// `model.safetensors.index.json` is malformed.
        public static let invalidIndex = Code(.invalidIndex)
        /// A shard name would resolve outside the model folder.
        public static let shardEscapesFolder = Code(.shardEscapesFolder)
        public static let missingShard = Code(.missingShard)
        /// The index names a tensor that its shard does not hold.
        public static let tensorMissing = Code(.tensorMissing)
        /// A tensor appears in more than one shard, or in a shard the index does not map it to.
        public static let tensorInSeveralShards = Code(.tensorInSeveralShards)
    }

    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

}
