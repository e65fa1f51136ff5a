// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Charter.Audit.Threading;
using Charter.Storage;

namespace Charter.Forwarding;

/// <summary>Which team and provider account each Responses API answer belongs to, for <c>previous_response_id</c>.</summary>
/// <remarks>
/// A stored response lives with the provider account that made it, and every team's requests share that account: without
/// a check, one team could continue (and so read) another team's conversation by its id. Charter therefore accepts a
/// <c>previous_response_id</c> only from the team whose request created it, and sends the request to the account that
/// holds it. The answers of this process are remembered here as they complete (the next turn of a conversation usually
/// follows at once, before its record is written); others (another instance, or before a restart) are found in the
/// request records, where the completion writes the id.
/// </remarks>
public sealed class ResponseOwners(IGatewayStore store, TimeProvider time)
{
    /// <summary>Answers remembered in memory; older ones are looked up in the records.</summary>
    public const int Capacity = 100_000;

    // One retry of a record lookup after a pause: a response made by another instance moments ago may not be written yet.
    private static readonly TimeSpan s_recordLag = TimeSpan.FromMilliseconds(300);

    private readonly ConcurrentDictionary<string, ResponseOwner> _recent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Remembers that <paramref name="responseId"/> was made for <paramref name="teamId"/> by <paramref name="account"/>
    /// on a request naming <paramref name="model"/>.</summary>
    public void Remember(string responseId, string? teamId, string account, string? model)
    {
        ArgumentNullException.ThrowIfNull(responseId);
        if (!_recent.TryAdd(responseId, new ResponseOwner(teamId, account, model)))
        {
            return;
        }

        _order.Enqueue(responseId);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _recent.TryRemove(oldest, out _);
        }
    }

    /// <summary>The owner of <paramref name="responseId"/>, or null when no request through Charter made it.</summary>
    public async ValueTask<ResponseOwner?> FindAsync(string responseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseId);
        if (_recent.TryGetValue(responseId, out var owner))
        {
            return owner;
        }

        await ThreadPoolHop.Instance; // SQLite answers synchronously: not on a socket thread
        for (var attempt = 0; ; attempt++)
        {
            owner = await store.FindResponseOwnerAsync(responseId, cancellationToken).ConfigureAwait(false);
            if (owner is not null || attempt == 1)
            {
                break;
            }

            await Task.Delay(s_recordLag, time, cancellationToken).ConfigureAwait(false);
        }

        if (owner is { Account: { } account })
        {
            Remember(responseId, owner.TeamId, account, owner.Model);
        }

        return owner;
    }
}
