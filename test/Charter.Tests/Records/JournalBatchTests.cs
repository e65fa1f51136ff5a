// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Records;
using Xunit;

namespace Charter.Tests.Records;

public sealed class JournalBatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CompletionOf_RequestCompletedInBatch_PairsBothWays()
    {
        var batch = JournalBatch.From([Request("a"), Request("b"), Completion("a"), Completion("b")]);

        Assert.Same(batch[2], batch.CompletionOf(0));
        Assert.Same(batch[3], batch.CompletionOf(1));
        Assert.Equal(0, batch.RequestIndexOf(2));
        Assert.Equal(1, batch.RequestIndexOf(3));
        Assert.Equal(-1, batch.RequestIndexOf(0)); // a request is nobody's completion
        Assert.Null(batch.CompletionOf(2)); // nor a completion anybody's request
    }

    [Fact]
    public void CompletionOf_CompletionOfEarlierBatch_StaysUnpaired()
    {
        var batch = JournalBatch.From([Completion("old"), Request("new")]);

        Assert.Equal(-1, batch.RequestIndexOf(0));
        Assert.Null(batch.CompletionOf(1));
    }

    [Fact]
    public void CompletionOf_SecondCompletionOfOneRequest_OnlyFirstIsPaired()
    {
        var batch = JournalBatch.From([Request("a"), Completion("a"), Completion("a")]);

        Assert.Same(batch[1], batch.CompletionOf(0));
        Assert.Equal(0, batch.RequestIndexOf(1));
        Assert.Equal(-1, batch.RequestIndexOf(2));
    }

    [Fact]
    public void CompletionOf_CompletionBeforeItsRequest_IsNotPaired()
    {
        var batch = JournalBatch.From([Completion("a"), Request("a")]);

        Assert.Null(batch.CompletionOf(1));
        Assert.Equal(-1, batch.RequestIndexOf(0));
    }

    [Fact]
    public void From_Batch_ReturnsTheSameInstance()
    {
        var batch = new JournalBatch();
        batch.Add(Request("a"));

        Assert.Same(batch, JournalBatch.From(batch));
    }

    [Fact]
    public void Add_AfterPairing_PairsTheNewEventsToo()
    {
        var batch = new JournalBatch();
        batch.Add(Request("a"));
        Assert.Null(batch.CompletionOf(0));

        batch.Add(Completion("a"));

        Assert.Same(batch[1], batch.CompletionOf(0));
    }

    [Fact]
    public void Clear_ReusedForALargerBatch_PairsOnlyTheNewEvents()
    {
        var batch = new JournalBatch();
        for (var i = 0; i < 3; i++)
        {
            batch.Add(Request("r" + i));
            batch.Add(Completion("r" + i));
        }

        Assert.Equal(0, batch.RequestIndexOf(1));
        batch.Clear();
        for (var i = 0; i < 100; i++)
        {
            batch.Add(Request("s" + i));
        }

        batch.Add(Completion("r0")); // its request was in the previous batch
        batch.Add(Completion("s99"));

        Assert.Equal(102, batch.Count);
        Assert.Equal(-1, batch.RequestIndexOf(100));
        Assert.Equal(99, batch.RequestIndexOf(101));
        Assert.Null(batch.CompletionOf(0));
        Assert.Same(batch[101], batch.CompletionOf(99));
    }

    [Fact]
    public void Rent_AfterClear_HandsOutTheSameEventsCleared()
    {
        var batch = new JournalBatch();
        var first = batch.Rent();
        first.Kind = "request";
        first.Id = "a";
        first.Model = "gpt-4o-mini";
        batch.Add(first);
        var second = batch.Rent();
        batch.Add(second);

        batch.Clear();

        Assert.Empty(batch);
        Assert.Same(first, batch.Rent());
        Assert.Same(second, batch.Rent());
        Assert.NotSame(second, batch.Rent()); // a third: new
        Assert.Equal((string.Empty, string.Empty, (string?)null), (first.Kind, first.Id, first.Model));
    }

    [Fact]
    public void Clear_EventsAddedFromOutside_LeftAsTheyWereAndNeverHandedOut()
    {
        var batch = new JournalBatch();
        var own = Request("mine");
        batch.Add(own);

        batch.Clear();

        Assert.Equal("mine", own.Id);
        Assert.NotSame(own, batch.Rent());
    }

    private static JournalEvent Request(string id) => new() { Kind = "request", Id = id, Ts = T0 };

    private static JournalEvent Completion(string id) => new() { Kind = "completion", Id = id, Ts = T0, Status = 200 };
}
