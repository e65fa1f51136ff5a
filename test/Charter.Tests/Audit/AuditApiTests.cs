// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Charter.Audit;
using Charter.Audit.Http;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Charter.Tests.Audit;

public sealed class AuditApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private WebApplication? _app;
    private HttpClient? _client;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAuditAuthorizer>(new DelegateAuditAuthorizer(ctx => ValueTask.FromResult(
            ctx.Request.Headers.Authorization.ToString() switch
            {
                "Bearer auditor" => AuditAccess.Allowed,
                "Bearer user" => AuditAccess.Forbidden,
                _ => AuditAccess.Unauthenticated,
            })));
        builder.Services.AddCharterAudit(o =>
        {
            o.DatabasePath = _dir.File("charter.db");
            o.KeyDirectory = _dir.File("keys");
            o.Origin = "charter.test/audit";
        });
        _app = builder.Build();
        _app.MapAuditApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        var log = _app.Services.GetRequiredService<AuditLog>();
        await log.AppendAsync(AuditTestData.Events(21));
        await log.CheckpointAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task PublicKey_Anonymous_ReturnsVerifierKey()
    {
        using var doc = JsonDocument.Parse(await _client!.GetStringAsync("/audit/v1/public-key", TestContext.Current.CancellationToken));

        var key = NoteVerifierKey.TryParse(doc.RootElement.GetProperty("key").GetString());
        Assert.NotNull(key);
        Assert.Equal("charter.test/audit", key.Name);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer user", HttpStatusCode.Forbidden)]
    public async Task Checkpoint_WithoutAuditorRole_IsRefusedWithJsonError(string? auth, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/audit/v1/checkpoint");
        if (auth is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        }

        using var response = await _client!.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(doc.RootElement.GetProperty("error").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task InclusionProof_Auditor_VerifiesAgainstSignedCheckpoint()
    {
        var key = NoteVerifierKey.TryParse(JsonDocument.Parse(await _client!.GetStringAsync("/audit/v1/public-key", TestContext.Current.CancellationToken)).RootElement.GetProperty("key").GetString())!;
        var note = SignedNote.TryParse(await Get("/audit/v1/checkpoint"))!;
        Assert.NotNull(note.FindValidSigner([key]));
        var cp = Charter.Audit.Signing.Checkpoint.TryParse(note.Text)!;

        using var entries = JsonDocument.Parse(await Get("/audit/v1/entries?start=5&end=6"));
        var leaf = entries.RootElement.GetProperty("entries")[0].GetProperty("leaf").GetString()!;
        using var proof = JsonDocument.Parse(await Get($"/audit/v1/proof/inclusion?index=5&size={cp.Size}"));
        var hashes = proof.RootElement.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();

        Assert.Equal(21, cp.Size);
        Assert.True(MerkleVerifier.VerifyInclusion(5, cp.Size, MerkleHash.HashLeaf(System.Text.Encoding.UTF8.GetBytes(leaf)), hashes, cp.Root));
    }

    [Fact]
    public async Task ConsistencyProof_Auditor_VerifiesBetweenRoots()
    {
        var log = _app!.Services.GetRequiredService<AuditLog>();
        using var proof = JsonDocument.Parse(await Get("/audit/v1/proof/consistency?from=6&to=21"));
        var hashes = proof.RootElement.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();

        var root6 = await log.GetRootAsync(6, TestContext.Current.CancellationToken);
        var root21 = await log.GetRootAsync(21, TestContext.Current.CancellationToken);

        Assert.True(MerkleVerifier.VerifyConsistency(6, 21, root6, root21, hashes));
    }

    [Theory]
    [InlineData("/audit/v1/proof/inclusion?index=21&size=21")]
    [InlineData("/audit/v1/proof/inclusion?index=abc")]
    [InlineData("/audit/v1/proof/consistency?from=5&to=99")]
    [InlineData("/audit/v1/entries?start=9&end=3")]
    public async Task Endpoints_BadParameters_Return400Json(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer auditor");

        using var response = await _client!.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.NotEmpty(doc.RootElement.GetProperty("error").GetProperty("message").GetString()!);
    }

    private async Task<string> Get(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer auditor");
        using var response = await _client!.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
