import KilnCore

/// Why a GGUF file was rejected.
public struct GGUFError: FileInputError, Sendable {
    public struct Code: Hashable, Sendable {
        private enum Wrapped: Hashable, Sendable {
            case truncated, notGGUF, unsupportedVersion, invalidMetadata, duplicateKey, invalidAlignment
            case invalidTensorInfo, duplicateTensor, unknownType, misplacedTensor, invalidRequest
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let truncated = Code(.truncated)
        public static let notGGUF = Code(.notGGUF)
        public static let unsupportedVersion = Code(.unsupportedVersion)
        public static let invalidMetadata = Code(.invalidMetadata)
        public static let duplicateKey = Code(.duplicateKey)
        public static let invalidAlignment = Code(.invalidAlignment)
        public static let invalidTensorInfo = Code(.invalidTensorInfo)
        public static let duplicateTensor = Code(.duplicateTensor)
        public static let unknownType = Code(.unknownType)
        /// A tensor's offset is not where llama.cpp's loader requires it, or runs past the file.
        public static let misplacedTensor = Code(.misplacedTensor)
        /// A writer was asked for something GGUF cannot hold (e.g. a name of 64 bytes or more).
        public static let invalidRequest = Code(.invalidRequest)
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
