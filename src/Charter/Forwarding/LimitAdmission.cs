// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Forwarding;

/// <summary>The limiter's answer: a decision, and the lease to complete when the request ends.</summary>
/// <param name="Decision">Allow, or a 429/503 denial.</param>
/// <param name="Lease">Opaque lease handed back to <see cref="IRequestLimiter.CompleteAsync"/>.</param>
public readonly record struct LimitAdmission(GateDecision Decision, object? Lease);
