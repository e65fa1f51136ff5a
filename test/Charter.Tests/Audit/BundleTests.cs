// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Charter.Audit;
using Charter.Audit.Export;
using Charter.Audit.Signing;
using Charter.Audit.Storage;

namespace Charter.Tests.Audit;

public sealed class BundleTests
{
    [Theory]
    [InlineData("bundle")]
    [InlineData("bundle.zip")]
    public async Task ExportAsync_AllEntries_BundleVerifiesWithPinnedKey(string name)
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 60, checkpointEvery: 25);
        var key = await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken);

        var export = await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), dir.File(name), new ExportFilter(), null, TestContext.Current.CancellationToken);
        var result = BundleVerifier.Verify(dir.File(name), [key]);

        Assert.True(export.Ok, export.Problem);
        Assert.Equal(60, export.Entries);
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(60, result.Entries);
        Assert.Equal(60, result.CheckpointSize);
        Assert.Equal(key.Text, result.SignerKey);
    }

    [Fact]
    public async Task ExportAsync_TeamFilter_KeepsOnlyThatTeamWithConsistencyProof()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 60, checkpointEvery: 25);
        var path = dir.File("team");

        var export = await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), path, new ExportFilter(Team: "research", To: AuditTestData.Start.AddMinutes(7 * 20)), null, TestContext.Current.CancellationToken);

        Assert.True(export.Ok);
        var lines = File.ReadAllLines(Path.Combine(path, BundleLayout.Entries));
        Assert.Equal(export.Entries, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"research\"", JsonDocument.Parse(l).RootElement.GetProperty("leaf").GetString(), StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(path, "checkpoints", "25.txt")));
        Assert.True(BundleVerifier.Verify(path, [await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken)]).Ok);
    }

    [Fact]
    public async Task ExportAsync_Summary_ListsDenialsLifecycleAndChart()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 60, checkpointEvery: 60);
        var path = dir.File("b");

        await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), path, new ExportFilter(), null, TestContext.Current.CancellationToken);

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(path, BundleLayout.SummaryJson)));
        var root = summary.RootElement;
        Assert.Equal(60, root.GetProperty("entries").GetInt64());
        Assert.True(root.GetProperty("denials_by_rule").GetProperty("no-competing-models").GetInt64() > 0);
        Assert.True(root.GetProperty("lifecycle").GetArrayLength() > 0);
        Assert.Equal("rotate key", root.GetProperty("lifecycle")[0].GetProperty("measures")[0].GetString());
        var html = File.ReadAllText(Path.Combine(path, BundleLayout.SummaryHtml));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("no-competing-models", html, StringComparison.Ordinal);
        Assert.Contains("extraction pattern", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedEntry_ReportsIt()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 30, checkpointEvery: 30);
        var path = dir.File("b");
        await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), path, new ExportFilter(), null, TestContext.Current.CancellationToken);
        var entries = Path.Combine(path, BundleLayout.Entries);
        File.WriteAllText(entries, File.ReadAllText(entries).Replace("\\\"decision\\\":\\\"deny\\\"", "\\\"decision\\\":\\\"allow\\\"", StringComparison.Ordinal));

        var result = BundleVerifier.Verify(path, [await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken)]);

        Assert.False(result.Ok);
        Assert.Contains(result.Problems, p => p.Contains("inclusion proof", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("entries.jsonl: SHA-256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_OtherPinnedKey_Fails()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 10);
        using var other = AuditSigner.LoadOrCreate(dir.File("other"), "charter.test/audit");
        await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), dir.File("b"), new ExportFilter(), null, TestContext.Current.CancellationToken);

        var pinned = BundleVerifier.Verify(dir.File("b"), [other.VerifierKey]);
        var unpinned = BundleVerifier.Verify(dir.File("b"));

        Assert.False(pinned.Ok);
        Assert.True(unpinned.Ok);
        Assert.NotEmpty(unpinned.Warnings);
    }

    [Fact]
    public async Task Verify_EditedSummary_ReportsMismatch()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 10);
        var path = dir.File("b");
        await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), path, new ExportFilter(), null, TestContext.Current.CancellationToken);
        var summary = Path.Combine(path, BundleLayout.SummaryJson);
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"entries\":10", "\"entries\":9", StringComparison.Ordinal), new UTF8Encoding(false));

        var result = BundleVerifier.Verify(path, [await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken)]);

        Assert.Contains(result.Problems, p => p.Contains("summary.json does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportAsync_NoCheckpoint_FailsWithReason()
    {
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        await log.AppendAsync(AuditTestData.Events(3), TestContext.Current.CancellationToken);

        var result = await BundleExporter.ExportAsync(new SqliteAuditStore(dir.File("charter.db")), dir.File("b"), new ExportFilter(), null, TestContext.Current.CancellationToken);

        Assert.False(result.Ok);
        Assert.Contains("checkpoint", result.Problem, StringComparison.Ordinal);
    }
}
