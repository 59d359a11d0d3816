import KilnCore

/// Byte-level BPE as Hugging Face `tokenizers`, tiktoken (Mistral's tekken) and llama.cpp's `gpt2`
/// vocabulary run it: added tokens cut out, pre-tokenizer regexes, then merges over UTF-8 bytes.
public struct ByteLevelBPETokenizer: TextTokenizer {
    /// The bytes each id spells.
    let spellings: [[UInt8]]
    /// Ids of the BPE vocabulary (added tokens excluded) by spelling, for `ignoreMerges`.
    let idsBySpelling: [[UInt8]: Int]
    /// The id of each single byte, or nil when the vocabulary lacks it.
    let byteIDs: [Int?]
    let merges: PairMerges
    /// tekken and Llama 3: a word that is already a token is emitted whole, unmerged.
    let ignoreMerges: Bool
    let preTokenizer: PreTokenizer
    let addedTokens: AddedTokenSplitter
    public let bosID: Int?
    public let eosID: Int?
    public let addsBOS: Bool

    /// `spellings[id]` are the bytes of every id; `added` lists the ids matched as whole text;
    /// `path` names the tokenizer's file in errors; `llamaCppUnicode`: split as llama.cpp's Unicode 15.1 tables do.
    init(spellings: [[UInt8]], added: [AddedTokenSplitter.Token], merges: PairMerges, ignoreMerges: Bool,
         patterns: [String], llamaCppUnicode: Bool = false, bosID: Int?, eosID: Int?, addsBOS: Bool, path: String) throws {
        self.spellings = spellings
        let addedIDs = Set(added.map(\.id))
        idsBySpelling = Dictionary(spellings.enumerated().filter { !addedIDs.contains($0.offset) }.map { ($1, $0) },
                                   uniquingKeysWith: { first, _ in first })
        byteIDs = (0...255).map { [idsBySpelling] in idsBySpelling[[UInt8($0)]] }
        self.merges = merges
        self.ignoreMerges = ignoreMerges
        do { preTokenizer = try PreTokenizer(patterns: patterns, llamaCppUnicode: llamaCppUnicode) } catch let error as PreTokenizer.UnknownPattern {
            throw TokenizerError(path: path, error.description)
        } catch {
            throw TokenizerError(path: path, "pre-tokenizer regex does not compile: \(error)")
        }
        addedTokens = AddedTokenSplitter(added)
        self.bosID = bosID
        self.eosID = eosID
        self.addsBOS = addsBOS
    }

    public var vocabularySize: Int { spellings.count }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [Int] {
        var ids: [Int] = []
        if addBOS, let bosID { ids.append(bosID) }
        for segment in addedTokens.segments(text, parseSpecial: parseSpecial) {
            switch segment {
            case let .token(id): ids.append(id)
            case let .text(text):
                for word in preTokenizer.split(text) { encodeWord(Array(word.utf8), into: &ids) }
            }
        }
        return ids
    }

    private func encodeWord(_ bytes: [UInt8], into ids: inout [Int]) {
        if ignoreMerges, let id = idsBySpelling[bytes] {
            ids.append(id)
        } else {
            ids.append(contentsOf: merges.apply(bytes.compactMap { byteIDs[Int($0)] }))
        }
    }

    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids where spellings.indices.contains(id) { bytes.append(contentsOf: spellings[id]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
