// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Charter.Eval.Client;
using Charter.Eval.Scoring;
using Charter.Eval.Storage;
using Charter.Eval.Suites;

namespace Charter.Eval.Running;

/// <summary>Runs every case of a suite on every model (× repeats) through the gateway, scores the outputs,
/// and stores results and cache entries.</summary>
/// <remarks>
/// <code>
///  1 prepare: render each case's messages once, serialise one body per (case, model), cache key = SHA-256(body ‖ repeat)
///  2 look every key up in eval_cache in one transaction (no upstream request for a hit unless --no-cache)
///  3 N workers take the next work item (an interlocked index, no queue): call → score (judge: a second call) → progress
///  4 one writer task drains a channel and writes results + fresh cache entries in batched transactions
/// </code>
/// Work is ordered repeat → case → model so that every model's progress advances together.
/// </remarks>
public sealed class EvalRunner
{
    private readonly GatewayClient _client;
    private readonly EvalStore? _store;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner; with a null store nothing is cached or stored (benchmarks).</summary>
    public EvalRunner(GatewayClient client, EvalStore? store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates a run id such as <c>20261127-111502-3fa2</c> (sortable, unique enough per database).</summary>
    public static string NewRunId(DateTimeOffset now)
        => now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    /// <summary>Runs the suite; returns every result (also on cancellation, with the run marked cancelled).</summary>
    public async Task<EvalRunOutcome> RunAsync(EvalSuite suite, EvalRunOptions options, RunProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(options);
        var models = options.Models.Count > 0 ? options.Models : suite.Models;
        if (models.Count == 0)
        {
            throw new ArgumentException("no models: name them in the suite (models:) or with --models", nameof(options));
        }

        var startTs = _time.GetTimestamp();
        var startCpu = Environment.CpuUsage.TotalTime;
        var runId = options.RunId ?? NewRunId(_time.GetUtcNow());
        var caseCount = options.Limit is { } limit ? Math.Min(limit, suite.Cases.Count) : suite.Cases.Count;
        var repeat = Math.Max(1, options.Repeat);
        var prepared = Prepare(suite, caseCount);
        var work = BuildWork(suite, prepared, models, repeat);
        var requestsBefore = _client.RequestsSent;

        var run = new EvalRunInfo
        {
            RunId = runId,
            SuiteName = suite.Name,
            SuitePath = suite.SourcePath,
            SuiteHash = suite.Hash,
            GatewayUrl = options.GatewayUrl,
            Models = [.. models],
            Repeat = repeat,
            CaseCount = caseCount,
            Concurrency = options.Concurrency,
            Parameters = ParametersJson(suite.Parameters),
            StartedAt = _time.GetUtcNow(),
        };
        _store?.SaveRun(run);

        var cache = options.UseCache && _store is not null ? LookupCache(work) : null;
        var modelProgress = new ModelProgress[models.Count];
        for (var m = 0; m < models.Count; m++)
        {
            modelProgress[m] = new ModelProgress(models[m], caseCount * repeat);
        }

        progress?.Start(runId, modelProgress);
        var state = new RunState(suite, prepared, work, [.. models], runId, cache, modelProgress, options.UseCache && _store is not null);
        if (cache is not null)
        {
            PreloadJudgeCache(state, cache);
        }

        var writer = _store is null ? Task.CompletedTask : Task.Run(() => WriteLoopAsync(state, runId));
        var workers = new Task[Math.Max(1, Math.Min(options.Concurrency, work.Length))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkerAsync(state, cancellationToken);
        }

        var status = "completed";
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "cancelled";
        }

        state.Writes.Writer.TryComplete();
        await writer.ConfigureAwait(false);

        var results = new List<CaseResult>(work.Length);
        foreach (var r in state.Results)
        {
            if (r is not null)
            {
                results.Add(r);
            }
        }

        run = run with
        {
            FinishedAt = _time.GetUtcNow(),
            Status = status,
            WallMs = _time.GetElapsedTime(startTs).TotalMilliseconds,
            PolicyVersion = state.PolicyVersion,
            UpstreamRequests = _client.RequestsSent - requestsBefore,
            CpuMs = (Environment.CpuUsage.TotalTime - startCpu).TotalMilliseconds,
        };
        _store?.SaveRun(run);
        return new EvalRunOutcome(run, results);
    }

    private static PreparedCase[] Prepare(EvalSuite suite, int caseCount)
    {
        var prepared = new PreparedCase[caseCount];
        for (var i = 0; i < caseCount; i++)
        {
            var c = suite.Cases[i];
            var spec = c.Scorer ?? suite.Scorer;
            var messages = new List<(string Role, string Content)>(suite.Messages.Count);
            var prompt = string.Empty;
            foreach (var m in suite.Messages)
            {
                var content = m.Content.Render(c.Vars);
                messages.Add((m.Role, content));
                if (m.Role == "user")
                {
                    prompt = content;
                }
            }

            prepared[i] = new PreparedCase(c, spec, ScorerFactory.Create(spec), SuiteLoader.ExpectedFor(c, spec), prompt, messages);
        }

        return prepared;
    }

    private static WorkItem[] BuildWork(EvalSuite suite, PreparedCase[] prepared, IReadOnlyList<string> models, int repeat)
    {
        var bodies = new byte[prepared.Length * models.Count][];
        for (var c = 0; c < prepared.Length; c++)
        {
            for (var m = 0; m < models.Count; m++)
            {
                bodies[(c * models.Count) + m] = GatewayClient.BuildBody(models[m], prepared[c].Messages, suite.Parameters);
            }
        }

        var work = new WorkItem[prepared.Length * models.Count * repeat];
        var k = 0;
        for (var r = 0; r < repeat; r++)
        {
            for (var c = 0; c < prepared.Length; c++)
            {
                for (var m = 0; m < models.Count; m++)
                {
                    var body = bodies[(c * models.Count) + m];
                    work[k++] = new WorkItem(c, m, r, body, CacheKey(body, r));
                }
            }
        }

        return work;
    }

    /// <summary>SHA-256 (hex) of the request body (model, messages, parameters) followed by the repeat index.</summary>
    public static string CacheKey(ReadOnlySpan<byte> body, int repeatIndex)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(body.Length + 4);
        try
        {
            body.CopyTo(buffer);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(body.Length), repeatIndex);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, body.Length + 4), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Dictionary<string, CachedResponse> LookupCache(WorkItem[] work)
    {
        var keys = new List<string>(work.Length);
        foreach (var w in work)
        {
            keys.Add(w.CacheKey);
        }

        return _store!.LookupCache(keys);
    }

    /// <summary>For judged cases whose answer is cached, looks the judge's call up too (its key depends on the answer).</summary>
    private void PreloadJudgeCache(RunState state, Dictionary<string, CachedResponse> cache)
    {
        var keys = new List<string>();
        foreach (var item in state.Work)
        {
            var pc = state.Prepared[item.CaseSlot];
            if (pc.Spec.Judge is { } judge && cache.TryGetValue(item.CacheKey, out var hit))
            {
                var messages = JudgeScorer.BuildMessages(judge, pc.Case, hit.Output, pc.Expected, pc.Prompt);
                keys.Add(CacheKey(GatewayClient.BuildBody(judge.Model, messages, judge.Parameters), item.Repeat));
            }
        }

        if (keys.Count > 0)
        {
            foreach (var (k, v) in _store!.LookupCache(keys))
            {
                state.JudgeCache[k] = v;
            }
        }
    }

    private async Task WorkerAsync(RunState state, CancellationToken cancellationToken)
    {
        // Yield first so that starting N workers does not run the first request of each inline.
        await Task.Yield();
        while (true)
        {
            var i = Interlocked.Increment(ref state.Next);
            if (i >= state.Work.Length)
            {
                return;
            }

            var item = state.Work[i];
            var write = await ExecuteAsync(state, item, cancellationToken).ConfigureAwait(false);
            state.Results[i] = write.Result;
            state.Progress[item.ModelIndex].Record(write.Result.Passed, write.Result.Error is not null, write.Result.Cached);
            state.Writes.Writer.TryWrite(write);
        }
    }

    private async Task<PendingWrite> ExecuteAsync(RunState state, WorkItem item, CancellationToken cancellationToken)
    {
        var pc = state.Prepared[item.CaseSlot];
        var model = state.Models[item.ModelIndex];
        CacheEntry? fresh = null;
        CacheEntry? freshJudge = null;
        string? output;
        CompletionResult? call = null;
        CachedResponse? hit = null;
        if (state.Cache is not null && state.Cache.TryGetValue(item.CacheKey, out var cached))
        {
            hit = cached;
            output = cached.Output;
        }
        else
        {
            call = await _client.CompleteAsync(item.Body, state.RunId, cancellationToken).ConfigureAwait(false);
            output = call.Output;
            if (call.PolicyVersion is not null)
            {
                state.PolicyVersion ??= call.PolicyVersion;
            }

            if (call.Succeeded && state.FillCache)
            {
                fresh = new CacheEntry(item.CacheKey, model, new CachedResponse(call.Output!, call.PromptTokens, call.CompletionTokens, call.Cost, call.LatencyMs, call.PolicyVersion));
            }
        }

        var promptTokens = hit?.PromptTokens ?? call!.PromptTokens;
        var completionTokens = hit?.CompletionTokens ?? call!.CompletionTokens;
        var cost = hit is not null ? hit.Cost : call!.Cost;
        if (cost is null && state.Suite.Prices.TryGetValue(model, out var price) && (promptTokens > 0 || completionTokens > 0))
        {
            cost = price.Cost(promptTokens, completionTokens);
        }

        ScoreResult score;
        string? error = call?.Error;
        if (output is null)
        {
            score = ScoreResult.Fail(null);
        }
        else if (pc.Scorer is not null)
        {
            score = pc.Scorer.Score(output, pc.Expected, pc.Case);
        }
        else
        {
            (score, freshJudge, var judgeError) = await JudgeAsync(state, pc, item, output, cancellationToken).ConfigureAwait(false);
            error ??= judgeError;
        }

        var result = new CaseResult
        {
            CaseIndex = pc.Case.Index,
            CaseId = pc.Case.Id,
            Model = model,
            RepeatIndex = item.Repeat,
            Prompt = pc.Prompt,
            Expected = pc.Expected,
            Output = output,
            Score = error is null ? score.Score : 0,
            Passed = error is null && score.Passed,
            Scorer = pc.Spec.Name,
            Detail = score.Detail,
            Error = error,
            LatencyMs = hit?.LatencyMs ?? call!.LatencyMs,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            Cost = cost,
            Cached = hit is not null,
            Attempts = call?.Attempts ?? 0,
        };
        return new PendingWrite(result, fresh, freshJudge);
    }

    private async Task<(ScoreResult Score, CacheEntry? Fresh, string? Error)> JudgeAsync(RunState state, PreparedCase pc, WorkItem item, string output, CancellationToken cancellationToken)
    {
        var judge = pc.Spec.Judge!;
        var messages = JudgeScorer.BuildMessages(judge, pc.Case, output, pc.Expected, pc.Prompt);
        var body = GatewayClient.BuildBody(judge.Model, messages, judge.Parameters);
        var key = CacheKey(body, item.Repeat);
        if (state.JudgeCache.TryGetValue(key, out var hit))
        {
            return (JudgeScorer.Verdict(hit.Output, judge.PassThreshold), null, null);
        }

        var call = await _client.CompleteAsync(body, state.RunId, cancellationToken).ConfigureAwait(false);
        if (!call.Succeeded)
        {
            return (ScoreResult.Fail("judge call failed"), null, "judge: " + call.Error);
        }

        var fresh = state.FillCache ? new CacheEntry(key, judge.Model, new CachedResponse(call.Output!, call.PromptTokens, call.CompletionTokens, call.Cost, call.LatencyMs, call.PolicyVersion)) : null;
        return (JudgeScorer.Verdict(call.Output!, judge.PassThreshold), fresh, null);
    }

    private async Task WriteLoopAsync(RunState state, string runId)
    {
        var results = new List<CaseResult>(256);
        var entries = new List<(string, string, CachedResponse)>(256);
        var reader = state.Writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            results.Clear();
            entries.Clear();
            while (results.Count < 1024 && reader.TryRead(out var w))
            {
                results.Add(w.Result);
                if (w.Fresh is { } f)
                {
                    entries.Add((f.Key, f.Model, f.Response));
                }

                if (w.FreshJudge is { } j)
                {
                    entries.Add((j.Key, j.Model, j.Response));
                }
            }

            _store!.WriteBatch(runId, results, entries);
        }
    }

    private static string ParametersJson(RequestParameters p)
    {
        var dto = new Client.ChatCompletionRequestDto { Model = string.Empty, Messages = [], Temperature = p.Temperature, TopP = p.TopP, MaxTokens = p.MaxTokens, Seed = p.Seed };
        using var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(dto, EvalJsonContext.Default.ChatCompletionRequestDto));
        var parts = new List<string>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name is not ("model" or "messages"))
            {
                parts.Add($"\"{prop.Name}\":{prop.Value.GetRawText()}");
            }
        }

        return "{" + string.Join(',', parts) + "}";
    }

    private sealed record PreparedCase(EvalCase Case, ScorerSpec Spec, IScorer? Scorer, string? Expected, string Prompt, List<(string Role, string Content)> Messages);

    private readonly record struct WorkItem(int CaseSlot, int ModelIndex, int Repeat, byte[] Body, string CacheKey);

    private sealed record CacheEntry(string Key, string Model, CachedResponse Response);

    private sealed record PendingWrite(CaseResult Result, CacheEntry? Fresh, CacheEntry? FreshJudge);

    private sealed class RunState(
        EvalSuite suite,
        PreparedCase[] prepared,
        WorkItem[] work,
        string[] models,
        string runId,
        Dictionary<string, CachedResponse>? cache,
        ModelProgress[] progress,
        bool fillCache)
    {
        public int Next = -1;

        public EvalSuite Suite { get; } = suite;

        public PreparedCase[] Prepared { get; } = prepared;

        public WorkItem[] Work { get; } = work;

        public string[] Models { get; } = models;

        public string RunId { get; } = runId;

        public Dictionary<string, CachedResponse>? Cache { get; } = cache;

        public ModelProgress[] Progress { get; } = progress;

        public bool FillCache { get; } = fillCache;

        public CaseResult?[] Results { get; } = new CaseResult?[work.Length];

        public Channel<PendingWrite> Writes { get; } = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

        /// <summary>Judge answers found in the cache before the run; read-only while workers run.</summary>
        public Dictionary<string, CachedResponse> JudgeCache { get; } = new(StringComparer.Ordinal);

        public string? PolicyVersion { get; set; }
    }
}
