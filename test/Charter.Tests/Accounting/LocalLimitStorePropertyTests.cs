// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using CsCheck;
using static Charter.Tests.Accounting.LimitTestData;

namespace Charter.Tests.Accounting;

public sealed class LocalLimitStorePropertyTests
{
    [Fact]
    public void TryAcquire_RandomArrivals_AdmitsExactlyWhenTheReferenceWindowHasRoom()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Int[0, 9_000].Array[1, 150]).Sample(t =>
        {
            var (limit, gaps) = t;
            var clock = Clock();
            var store = Store(clock);
            var limits = new LimitSet { RequestsPerMinute = limit };
            var admittedBuckets = new List<long>();
            foreach (var gap in gaps)
            {
                clock.Advance(TimeSpan.FromMilliseconds(gap));
                var bucket = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
                var inWindow = admittedBuckets.Count(b => b > bucket - 60);
                var decision = store.TryAcquire(Request(limits));

                Assert.Equal(inWindow < limit, decision.Allowed);
                if (decision.Allowed)
                {
                    admittedBuckets.Add(bucket);
                    Assert.Equal(limit - inWindow - 1, decision.Headers.RemainingRequests);
                }
                else
                {
                    // Retry-after points at the first instant the reference window has room again.
                    var retryBucket = (clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)decision.RetryAfter.TotalMilliseconds) / 1000;
                    Assert.True(admittedBuckets.Count(b => b > retryBucket - 60) < limit);
                    Assert.True(admittedBuckets.Count(b => b > retryBucket - 1 - 60) >= limit);
                }
            }
        }, iter: 300);
    }
}
