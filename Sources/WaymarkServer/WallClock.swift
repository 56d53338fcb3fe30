import Foundation
import WaymarkEngine

/// The daemon's only reading of the wall clock: the engine itself never reads it.
public enum WallClock {
    /// Now, to the nanosecond as the system gives it.
    @Sendable public static func now() -> Moment {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Moment(epochNanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
