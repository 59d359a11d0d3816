import Foundation

/// Paths of the committed fixtures.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func path(_ relative: String) -> String { "\(repositoryRoot)/Fixtures/\(relative)" }

    /// The 40-layer Pixtral-shaped checkpoint in the Hugging Face Llava layout (sharded, bf16).
    public static var tinyPixtral: String { path("tiny-pixtral") }
    /// The same weights in Mistral's native layout.
    public static var tinyPixtralNative: String { path("tiny-pixtral-native") }
    /// A trained 4-layer Llama (hidden 256, FFN 768) whose rows are long enough for K-quants.
    public static var wideLlama: String { path("wide-llama") }
    public static var goldens: String { path("goldens") }

    /// The `kiln` executable built next to the test bundle.
    public static var kilnExecutable: String {
        // On Linux the test runner is a plain executable, so its bundle URL is the build folder itself.
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [Bundle.main.bundleURL.appendingPathComponent("kiln").path, bundle.appendingPathComponent("kiln").path,
                          "\(repositoryRoot)/.build/debug/kiln", "\(repositoryRoot)/.build/release/kiln"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "\(repositoryRoot)/.build/debug/kiln"
    }
}
