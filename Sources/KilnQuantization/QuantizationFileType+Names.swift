/// How people name a file type, as llama-quantize reads them (`try_parse_ftype`, `QUANT_OPTIONS` in
/// tools/quantize/quantize.cpp): a name in any case, one of its aliases, or the `llama_ftype` number.
extension QuantizationFileType {
    /// llama-quantize's aliases: a K-quant without its size letter is the medium mix.
    public static let aliases: [String: QuantizationFileType] = ["Q3_K": .q3_K_M, "Q4_K": .q4_K_M, "Q5_K": .q5_K_M]

    /// The file type `general.file_type` names (`LLAMA_FTYPE_*`), nil for one Kiln does not write.
    public init?(llamaFileType: Int) {
        guard let match = Self.allCases.first(where: { Int($0.llamaFileType) == llamaFileType }) else { return nil }
        self = match
    }

    /// A name in any case (`q4_k_m`), an alias (`Q4_K`) or a number (`15`), as llama-quantize accepts them.
    public init?(spelling: String) {
        let upper = spelling.uppercased()
        if let named = Self(name: upper) ?? Self.aliases[upper] {
            self = named
        } else if let number = Int(spelling), let numbered = Self(llamaFileType: number) {
            self = numbered
        } else {
            return nil
        }
    }

    /// Every name `init(spelling:)` accepts, canonical names first: what a "did you mean" chooses from.
    public static var spellings: [String] { allCases.map(\.rawValue) + aliases.keys.sorted() }
}
