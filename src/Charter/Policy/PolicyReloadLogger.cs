// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Records;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Logs policy loads and reloads (a rejected edit with every error) and journals a <c>policy.load</c> event with the version.</summary>
public sealed partial class PolicyReloadLogger(PolicyProvider provider, Journal journal, TimeProvider time, ILogger<PolicyReloadLogger> logger) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var set = provider.Current;
        Log.Loaded(logger, set.Version, set.Files.Count, set.RuleCount);
        provider.Reloaded += OnReloaded;
        await AppendAsync(set.Version, null, "loaded at start-up").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        provider.Reloaded -= OnReloaded;
        return Task.CompletedTask;
    }

    private void OnReloaded(PolicyReloadResult result)
    {
        if (result.Succeeded)
        {
            Log.Reloaded(logger, result.PreviousVersion, result.Version);
            _ = AppendAsync(result.Version, result.PreviousVersion, "reloaded");
            return;
        }

        Log.Rejected(logger, result.Errors.Count, result.Version, string.Join("; ", result.Errors));
    }

    private async Task AppendAsync(string version, string? previous, string reason)
    {
        try
        {
            await journal.AppendAsync(new JournalEvent
            {
                Kind = "policy.load",
                Id = KeySecrets.NewId("evt_"),
                Ts = time.GetUtcNow(),
                Actor = "system:policy",
                PolicyVersion = version,
                Reason = reason,
                Detail = previous is null ? null : $"{{\"previous_version\":\"{previous}\",\"version\":\"{version}\"}}",
            }).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3140, Level = LogLevel.Information, Message = "Policy version {Version} in force ({Files} file(s), {Rules} rule(s)).")]
        public static partial void Loaded(ILogger logger, string version, int files, int rules);

        [LoggerMessage(EventId = 3141, Level = LogLevel.Information, Message = "Policy reloaded: {Previous} -> {Version}.")]
        public static partial void Reloaded(ILogger logger, string previous, string version);

        [LoggerMessage(EventId = 3142, Level = LogLevel.Error, Message = "Policy edit rejected with {Count} error(s); version {Version} stays in force: {Errors}")]
        public static partial void Rejected(ILogger logger, int count, string version, string errors);
    }
}
