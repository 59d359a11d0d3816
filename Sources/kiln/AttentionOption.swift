import ArgumentParser
import KilnRuntime

/// `-fa/--flash-attn on|off|auto`, as llama.cpp's tools take it: which of llama.cpp's CPU attention paths
/// a GGUF model's attention reproduces (see ``AttentionMode``). Safetensors models round nothing either way.
struct AttentionOption: ParsableArguments {
    @Option(name: [.customLong("flash-attn"), .customLong("fa", withSingleDash: true)],
            help: "The llama.cpp attention path a GGUF reproduces: on, off (its -fa off) or auto (what llama.cpp's default resolves to on CPU: on).")
    var mode = AttentionMode.flash
}

/// llama.cpp's spelling: `-fa on`, `-fa off`, `-fa auto` (which its CPU backend resolves to on).
extension AttentionMode: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "on", "auto": self = .flash
        case "off": self = .standard
        default: return nil
        }
    }

    public var defaultValueDescription: String { self == .flash ? "on" : "off" }
    public static var allValueStrings: [String] { ["on", "off", "auto"] }
}
