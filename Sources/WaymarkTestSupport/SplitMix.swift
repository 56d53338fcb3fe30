/// SplitMix64 as a `RandomNumberGenerator`, for the tests that shuffle or draw with the standard
/// library's random APIs and must draw the same on every run.
///
/// The same steps as `WaymarkSimulation`'s `SeededGenerator`, which the FEEL and model tests cannot
/// import without building the engine; that one also promises its draws to `waymark simulate`'s
/// users, this one only to the tests.
public struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
