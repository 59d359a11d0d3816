import Foundation
import KilnCore
import KilnGGUF
import KilnQuantization
import KilnTestSupport
import Testing

/// Recipe files are untrusted input: what they may name is checked before any work.
@Suite struct MixRecipeTests {
    @Test func roundTripsThroughJSON() throws {
        let recipe = MixRecipe(baseType: .q4_K_M, tensors: [("blk.0.attn_q.weight", .q4_K), ("output.weight", .q8_0)],
                               imatrixCalibration: .init(text: "kiln-calibration-v1", context: 256, chunks: 32))
        let read = try MixRecipe(json: recipe.json, path: "r.json")
        #expect(read.json == recipe.json)
        #expect(recipe.tensorTypes.map(\.pattern) == [#"^blk\.0\.attn_q\.weight$"#, #"^output\.weight$"#])
        #expect(recipe.llamaQuantizeArguments == ["--tensor-type", #"^blk\.0\.attn_q\.weight$=q4_k"#, "--tensor-type", #"^output\.weight$=q8_0"#])
    }

    @Test(arguments: [
        (#"{"kiln_recipe": 2, "base_type": "Q4_K_M", "tensors": {}}"#, "kiln_recipe must be 1"),
        (#"{"kiln_recipe": 1, "base_type": "Q9", "tensors": {}}"#, "base_type must be one of"),
        (#"{"kiln_recipe": 1, "base_type": "Q4_K_M", "tensors": {"blk.0.attn_q.weight": "Q9_K"}}"#, "is not a type Kiln writes"),
        (#"{"kiln_recipe": 1, "base_type": "Q4_K_M", "tensors": {"blk.(0|1).x": "Q4_K"}}"#, "is not a GGUF tensor name"),
        (#"{"kiln_recipe": 1, "base_type": "Q4_K_M", "tensors": {"a.weight": "Q4_K", "a.weight": "Q4_K"}}"#, "is not valid JSON"),
        (#"{"kiln_recipe": 1, "base_type": "Q4_K_M", "imatrix_calibration": {"text": "t", "ctx": 1, "chunks": 2}, "tensors": {}}"#, "imatrix_calibration must"),
    ])
    func refusesWhatIsNotARecipe(_ text: String, _ message: String) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("recipe.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: (any Error).self) { try MixRecipe(path: path) }
        #expect("\(error!)".contains(message), "\(error!)")
        #expect("\(error!)".contains(path))
    }
}
