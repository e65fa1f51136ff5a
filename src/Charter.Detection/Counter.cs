// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Indices of the decayed main-window counters of a <see cref="SubjectState"/>.</summary>
internal static class Counter
{
    public const int Requests = 0;
    public const int Generative = 1;
    public const int LargeMax = 2;
    public const int GenerativeNew = 3;
    public const int GenerativeClustered = 4;
    public const int Reasoning = 5;
    public const int Dataset = 6;
    public const int Logit = 7;
    public const int Sweep = 8;
    public const int EvalGenerative = 9;
    public const int EvalResolved = 10;
    public const int EvalUnrepeated = 11;
    public const int Attributed = 12;
    public const int MixedPurpose = 13;
    public const int Shared = 14;
    public const int OutputTokens = 15;
    public const int Count = 16;
}
