// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Conversions between US dollars (decimal) and the integer nano-dollars used by spend counters.</summary>
/// <remarks>
/// Nano-dollars (1e-9 USD) represent every per-token price exactly when the per-million price has at most
/// three decimals (e.g. $0.005 per million = 5 n$ per token); a long holds 9.2 billion dollars.
/// </remarks>
public static class Money
{
    /// <summary>Nano-dollars per dollar.</summary>
    public const long NanoPerUsd = 1_000_000_000;

    /// <summary>Converts dollars to nano-dollars, rounding half away from zero (saturating at long range).</summary>
    public static long ToNanoUsd(decimal usd)
    {
        if (usd <= 0)
        {
            return 0;
        }

        var nano = decimal.Round(usd * NanoPerUsd, 0, MidpointRounding.AwayFromZero);
        return nano >= long.MaxValue ? long.MaxValue : (long)nano;
    }

    /// <summary>Converts nano-dollars to dollars exactly.</summary>
    public static decimal ToUsd(long nanoUsd) => nanoUsd / (decimal)NanoPerUsd;
}
