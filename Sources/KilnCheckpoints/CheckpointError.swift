import KilnCore

/// Why a model folder or file could not be read as a checkpoint.
public struct CheckpointError: FileInputError, Sendable {
    public struct Code: Hashable, Sendable {
        private enum Wrapped: Hashable, Sendable {
            case notFound, unknownLayout, invalidConfig, unsupportedArchitecture, unknownTensor, missingTensor, shapeMismatch
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        public static let notFound = Code(.notFound)
        /// The folder holds none of the layouts Kiln reads.
        public static let unknownLayout = Code(.unknownLayout)
        public static let invalidConfig = Code(.invalidConfig)
        public static let unsupportedArchitecture = Code(.unsupportedArchitecture)
        /// A weight name the layout does not recognise.
        public static let unknownTensor = Code(.unknownTensor)
        public static let missingTensor = Code(.missingTensor)
        /// A tensor's shape disagrees with the configuration.
        public static let shapeMismatch = Code(.shapeMismatch)
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
