import KilnCheckpoints
import KilnTransforms
import Testing

/// A request `UpscalePlan` must refuse, and words its one-line error must contain.
struct BadUpscaleRequest: CustomTestStringConvertible, Sendable {
    let name: String
    let mentions: [String]
    let make: @Sendable () throws -> UpscalePlan
    var testDescription: String { name }

    static let all: [BadUpscaleRequest] = [
        .init(name: "fewer layers", mentions: ["40", "32", "more layers"]) { try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 32) },
        .init(name: "the same count", mentions: ["40", "more layers"]) { try UpscalePlan(method: .interleave, sourceLayerCount: 40, layerCount: 40) },
        .init(name: "odd count for solar", mentions: ["solar", "47", "even count from 42 to 80"]) { try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 47) },
        .init(name: "count interleave cannot reach", mentions: ["interleave", "47", "41, 42, 44, 45, 48, 50, 60 or 80"]) {
            try UpscalePlan(method: .interleave, sourceLayerCount: 40, layerCount: 47)
        },
        .init(name: "more than twice the layers", mentions: ["identity", "81"]) { try UpscalePlan(method: .identity, sourceLayerCount: 40, layerCount: 81) },
        .init(name: "unknown method", mentions: ["\"llama-pro\"", "solar, interleave, identity"]) {
            try UpscalePlan(method: UpscaleMethod(named: "llama-pro"), sourceLayerCount: 40, layerCount: 48)
        },
        .init(name: "map naming a missing layer", mentions: ["40", "0-39"]) { try UpscalePlan(map: "0-23,16-40", sourceLayerCount: 40) },
        .init(name: "map with a word", mentions: ["malformed", "abc"]) { try UpscalePlan(map: "0-23,abc", sourceLayerCount: 40) },
        .init(name: "map with an empty item", mentions: ["malformed"]) { try UpscalePlan(map: "0-23,,16-39", sourceLayerCount: 40) },
        .init(name: "map with an open range", mentions: ["malformed", "16-"]) { try UpscalePlan(map: "0-23,16-", sourceLayerCount: 40) },
        .init(name: "map with a backwards range", mentions: ["39-16", "backwards"]) { try UpscalePlan(map: "0-23,39-16", sourceLayerCount: 40) },
        .init(name: "map of a negative layer", mentions: ["malformed"]) { try UpscalePlan(map: "-1,0-39", sourceLayerCount: 40) },
        .init(name: "map that adds no layer", mentions: ["more layers"]) { try UpscalePlan(map: "0-39", sourceLayerCount: 40) },
    ]
}

@Suite struct UpscalePlanTests {
    @Test func solarFortyToFortyEightIsLayersZeroToTwentyThreeThenSixteenToThirtyNine() throws {
        let plan = try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 48)
        #expect(plan.layers.map(\.source) == Array(0...23) + Array(16...39))
        #expect(plan.layers.allSatisfy { $0.zeroed.isEmpty })
    }

    @Test(arguments: [UpscaleMethod.interleave, .identity])
    func interleavingRepeatsEveryFifthLayerRightAfterIt(_ method: UpscaleMethod) throws {
        let plan = try UpscalePlan(method: method, sourceLayerCount: 40, layerCount: 48)
        // LLaMA-Pro's map: src(j) = j − ⌊(j + 1) / 6⌋, copies of 4, 9, …, 39 at 5, 11, …, 47.
        #expect(plan.layers.map(\.source) == (0..<48).map { $0 - ($0 + 1) / 6 })
        let inserted = Array(stride(from: 5, through: 47, by: 6))
        #expect(inserted.map { plan.layers[$0].source } == Array(stride(from: 4, through: 39, by: 5)))
        for (index, layer) in plan.layers.enumerated() {
            let zeroed = method == .identity && inserted.contains(index)
            #expect(layer.zeroed == (zeroed ? [.attentionOutput, .feedForwardDown] : []), "layer \(index)")
        }
    }

    @Test func aMapListsSourceLayersInOutputOrder() throws {
        let map = try UpscalePlan(map: "0-23, 16-39", sourceLayerCount: 40)
        #expect(map.layers == (try UpscalePlan(method: .solar, sourceLayerCount: 40, layerCount: 48)).layers)
        #expect(try UpscalePlan(map: "0,0,1-3,2", sourceLayerCount: 4).layers.map(\.source) == [0, 0, 1, 2, 3, 2])
    }

    @Test(arguments: [(UpscaleMethod.solar, [42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80]),
                      (.interleave, [41, 42, 44, 45, 48, 50, 60, 80]), (.identity, [41, 42, 44, 45, 48, 50, 60, 80])])
    func eachMethodReachesTheCountsItDescribes(_ method: UpscaleMethod, _ counts: [Int]) throws {
        #expect(method.reachableLayerCounts(from: 40) == counts)
        for count in counts {
            let plan = try UpscalePlan(method: method, sourceLayerCount: 40, layerCount: count)
            #expect(plan.layers.count == count)
            #expect(Set(plan.layers.map(\.source)) == Set(0..<40), "every source layer is kept")
        }
    }

    @Test(arguments: BadUpscaleRequest.all)
    func refusesABadRequestWithAClearMessage(_ request: BadUpscaleRequest) throws {
        let error = #expect(throws: TransformError.self) { try request.make() }
        for word in request.mentions { #expect(error?.message.contains(word) == true, "\(error?.message ?? "") should mention \(word)") }
    }
}
