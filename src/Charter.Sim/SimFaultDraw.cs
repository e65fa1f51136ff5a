// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>The faults drawn for one request (deterministic for a seed and request sequence number).</summary>
/// <param name="Answer">A fault that answers instead of the model, or <see cref="SimFault.None"/>.</param>
/// <param name="Drop">Drop the connection half-way through the body or stream.</param>
/// <param name="StreamError">End a stream half-way with an error event.</param>
internal readonly record struct SimFaultDraw(SimFault Answer, bool Drop, bool StreamError)
{
    /// <summary>Draws the configured faults, in their documented order: error, rate limit, overload; then drop and stream error.</summary>
    public static SimFaultDraw For(SimulatorOptions options, ulong seed, ulong sequence)
    {
        var draw = SimHash.Mix(sequence ^ seed);
        var answer = options.ErrorRate > 0 && SimHash.Unit(draw) < options.ErrorRate ? SimFault.ServerError
            : options.RateLimitRate > 0 && SimHash.Unit(SimHash.Mix(draw + 1)) < options.RateLimitRate ? SimFault.RateLimited
            : options.OverloadedRate > 0 && SimHash.Unit(SimHash.Mix(draw + 4)) < options.OverloadedRate ? SimFault.Overloaded
            : SimFault.None;
        return new SimFaultDraw(
            answer,
            options.DropRate > 0 && SimHash.Unit(SimHash.Mix(draw + 2)) < options.DropRate,
            options.StreamErrorRate > 0 && SimHash.Unit(SimHash.Mix(draw + 3)) < options.StreamErrorRate);
    }
}
