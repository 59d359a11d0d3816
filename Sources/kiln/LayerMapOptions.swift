import ArgumentParser
import KilnTransforms

/// `--method` and `--map`, shared by every command that can upscale on the way (`upscale`, `convert`).
///
/// Both are read as plain strings and checked by ``UpscalePlan``, so a bad request is an input error
/// (one line, exit status 2) like any other.
struct LayerMapOptions: ParsableArguments {
    @Option(help: "How to add layers: solar (two overlapping copies of the stack), interleave (repeat every k-th layer) or identity (as interleave, the copies' attention output and MLP down projection zeroed so the model computes what it did).")
    var method: String?

    @Option(help: ArgumentHelp("Source layers in output order, ranges inclusive, e.g. \"0-23,16-39\" (instead of a count and --method).", valueName: "layers"))
    var map: String?

    /// The plan asked for, or nil when there is no count, method or map. `countOption` names the
    /// command's layer-count option for messages.
    func plan(layerCount: Int?, countOption: String, sourceLayerCount: Int) throws -> UpscalePlan? {
        switch (layerCount, method, map) {
        case (nil, nil, nil):
            return nil
        case (_, _?, _?):
            throw TransformError("give either --method or --map, not both")
        case let (count, nil, map?):
            let plan = try UpscalePlan(map: map, sourceLayerCount: sourceLayerCount)
            if let count, count != plan.layers.count {
                throw TransformError("--map lists \(plan.layers.count) layers but \(countOption) asks for \(count)")
            }
            return plan
        case let (count?, method?, nil):
            return try UpscalePlan(method: UpscaleMethod(named: method), sourceLayerCount: sourceLayerCount, layerCount: count)
        case (nil, _?, nil):
            throw TransformError("--method needs \(countOption) with the number of layers to make")
        case (_?, nil, nil):
            throw TransformError("\(countOption) needs --method (\(UpscaleMethod.allCases.map(\.rawValue).joined(separator: ", "))) or --map")
        }
    }
}
