import ArgumentParser

/// The model a command reads: after the command, or with `-m/--model` as llama.cpp's tools take it.
struct ModelArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A GGUF file or a model folder (or -m MODEL).", valueName: "model"))
    var positional: String?

    @Option(name: [.customShort("m"), .customLong("model")], help: "The model, as llama.cpp's tools take it.")
    var option: String?

    func validate() throws {
        if let positional, let option { throw ValidationError("the model is given twice: \(positional) and -m \(option)") }
        if positional == nil, option == nil { throw ValidationError("give the model: a GGUF file or a model folder, after the command or with -m") }
    }

    /// The model's path; `validate()` made sure there is exactly one.
    var path: String { option ?? positional ?? "" }
}
