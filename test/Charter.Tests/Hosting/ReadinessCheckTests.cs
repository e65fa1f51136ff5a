// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;
using Charter.Hosting;

namespace Charter.Tests.Hosting;

/// <summary><c>/readyz</c>'s decision: each way an instance is not ready, and ready when none applies.</summary>
public sealed class ReadinessCheckTests
{
    [Fact]
    public async Task CheckAsync_StartedCaughtUpDatabaseAnswers_Ready()
    {
        var check = new ReadinessCheck(new ReadinessOptions(), () => true, () => 4096, _ => Task.CompletedTask);

        Assert.Empty(await check.CheckAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CheckAsync_IntegratorNotRunning_NotIntegrating()
    {
        var check = new ReadinessCheck(new ReadinessOptions(), () => false, () => 0, _ => Task.CompletedTask);

        Assert.Contains(await check.CheckAsync(TestContext.Current.CancellationToken), r => r.StartsWith("not integrating", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1000, 1001, true)]
    [InlineData(1000, 1000, false)]
    [InlineData(0, long.MaxValue, false)] // 0: no backlog check
    public async Task CheckAsync_Backlog_BehindOnlyAboveTheLimit(long limit, long backlog, bool behind)
    {
        var check = new ReadinessCheck(new ReadinessOptions { MaxBacklogBytes = limit }, () => true, () => backlog, _ => Task.CompletedTask);

        var reasons = await check.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(behind, reasons.Any(r => r.StartsWith("behind", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CheckAsync_DatabaseFails_ReasonNamesTheKindNotTheMessage()
    {
        var check = new ReadinessCheck(new ReadinessOptions(), () => true, () => 0,
            _ => Task.FromException(new InvalidOperationException("Host=db.internal;Password=secret")));

        var reasons = await check.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["database: InvalidOperationException"], reasons);
    }

    [Fact]
    public async Task CheckAsync_DatabaseHangs_NotReadyAfterTheTimeout()
    {
        var check = new ReadinessCheck(new ReadinessOptions { DatabaseTimeoutMs = 50 }, () => true, () => 0,
            ct => Task.Delay(Timeout.Infinite, CancellationToken.None));

        var reasons = await check.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["database: no answer within 50 ms"], reasons);
    }

    [Fact]
    public void Validate_ReadinessSettingsWrong_ListsEveryError()
    {
        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), new RecordsOptions(), null,
            new ReadinessOptions { MaxBacklogBytes = -1, DatabaseTimeoutMs = 0 });

        Assert.Contains("Readiness:MaxBacklogBytes must be 0 (no check) or positive (got -1).", errors);
        Assert.Contains("Readiness:DatabaseTimeoutMs must be positive (got 0).", errors);
    }
}
