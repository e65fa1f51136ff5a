// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>The simulated OpenAI-compatible (chat, legacy completions, embeddings, moderations, Responses; and Anthropic Messages, token counting) provider: deterministic answers, latency and faults; thread-safe.</summary>
/// <remarks>
/// Transports (<see cref="SimulatorEndpoints"/> over Kestrel, <see cref="SimulatorHttpHandler"/> in process)
/// hand each request to <c>Handle</c> and send the <see cref="SimResponse"/> it returns.
/// Multiple-choice convention: see <see cref="ExpectedChoice"/>.
/// </remarks>
public sealed partial class Simulator
{
    private const int EndpointCount = 13;
    private const int RouteCount = 4 * EndpointCount;

    // Indexed by SimFlavor and SimEndpoint.
    private static readonly string[] s_flavorNames = ["openai", "azure_classic", "azure_v1", "anthropic"];
    private static readonly string[] s_endpointNames = ["chat_completions", "embeddings", "models", "model", "messages", "responses",
        "response_get", "response_delete", "response_input_items", "response_cancel", "completions", "moderations",
        "messages_count_tokens",
    ];

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly SimulatorOptions _initial;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly long[] _routeCounts = new long[RouteCount];
    private readonly ResponsesStore _stored = new(ResponsesStore.DefaultMaxCount, ResponsesStore.DefaultMaxBytes);
    private volatile SimConfig _config;
    private long _requestCount;
    private long _distinctIds;
    private long _unrecordedIds;
    private long _sequence;

    // Mixed into the ids of stored objects (Responses API answers), which a provider makes unique across its accounts.
    private readonly ulong _idSalt = (ulong)Random.Shared.NextInt64();

    /// <summary>Creates a simulator; <paramref name="options"/> is copied.</summary>
    public Simulator(SimulatorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options: " + string.Join(" ", errors), nameof(options));
        }

        _initial = options.Clone();
        _config = new SimConfig(options);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock used for delays and timestamps.</summary>
    internal TimeProvider TimeProvider => _time;

    /// <summary>A copy of the options in force now.</summary>
    public SimulatorOptions Options => _config.Options.Clone();

    /// <summary>Distinct <c>X-Charter-Request-Id</c> values received since start or <see cref="Reset"/>.</summary>
    public IReadOnlyCollection<string> SeenRequestIds => [.. _seen.Keys];

    /// <summary>API requests (chat, completions, embeddings, moderations, models, messages, messages count_tokens, responses and the stored-response routes) received since start or <see cref="Reset"/>.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>How many times a request id was received (retries show up here); 0 when never.</summary>
    public int TimesSeen(string requestId) => _seen.TryGetValue(requestId, out var n) ? n : 0;

    /// <summary>Responses API answers stored now (see <see cref="ResponsesStore"/>).</summary>
    internal int StoredResponseCount => _stored.Count;

    /// <summary>Request ids received but not remembered because <see cref="SimulatorOptions.MaxRecordedRequestIds"/> was reached.</summary>
    public long UnrecordedRequestIds => Interlocked.Read(ref _unrecordedIds);

    /// <summary>Forgets the requests seen and the stored responses, and restores the options given at construction.</summary>
    public void Reset()
    {
        _seen.Clear();
        _stored.Clear();
        Interlocked.Exchange(ref _distinctIds, 0);
        Interlocked.Exchange(ref _unrecordedIds, 0);
        Interlocked.Exchange(ref _requestCount, 0);
        for (var i = 0; i < _routeCounts.Length; i++)
        {
            Interlocked.Exchange(ref _routeCounts[i], 0);
        }

        _config = new SimConfig(_initial);
    }

    /// <summary>Changes the options at run time (faults, latency, accuracy); throws when the result is invalid.</summary>
    public void Configure(Action<SimulatorOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var next = _config.Options.Clone();
        change(next);
        var errors = next.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options: " + string.Join(" ", errors), nameof(change));
        }

        _config = new SimConfig(next);
    }

    /// <summary>Handles one API request; the caller sends the result and disposes it.</summary>
    internal SimResponse Handle(in SimRequest request, in ReadOnlySequence<byte> body)
    {
        Interlocked.Increment(ref _requestCount);
        var config = _config;
        if (request.CharterRequestId is { Length: > 0 } id)
        {
            Record(id, config.Options.MaxRecordedRequestIds);
        }

        var route = RouteIndex(request.Flavor, request.Endpoint);
        if (route != 0)
        {
            // OpenAI chat completions (route 0) are not counted here: they are RequestCount minus the others.
            Interlocked.Increment(ref _routeCounts[route]);
        }

        var sequence = (ulong)Interlocked.Increment(ref _sequence);
        var requestId = RequestId(sequence, config.Seed);
        if (request.Flavor == SimFlavor.Anthropic)
        {
            return request.Endpoint == SimEndpoint.MessagesCountTokens
                ? HandleCountTokens(request, body, config, requestId, sequence)
                : HandleMessages(request, body, config, requestId, sequence);
        }

        if (request.Flavor == SimFlavor.AzureClassic && string.IsNullOrEmpty(request.ApiVersion))
        {
            return Error(new SimError(404, "Resource not found. The 'api-version' query parameter is required.", "invalid_request_error", "api-version", "404"), requestId);
        }

        if (request.Flavor != SimFlavor.OpenAI && !request.HasCredential)
        {
            return Error(
                new SimError(401, "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.", "invalid_request_error", null, "401"),
                requestId);
        }

        if (config.Options.SuspendedAccount)
        {
            return Error(SimError.Suspended, requestId);
        }

        switch (request.Endpoint)
        {
            case SimEndpoint.Models:
                return Json(requestId, static (w, _) => WriteModels(w), 0);
            case SimEndpoint.Model:
                return Json(requestId, static (w, model) => WriteModel(w, model!), request.Deployment);
        }

        var options = config.Options;
        var faults = SimFaultDraw.For(options, config.Seed, sequence);
        switch (faults.Answer)
        {
            case SimFault.ServerError:
                return Error(SimError.ServerError, requestId);
            case SimFault.RateLimited:
                return Error(SimError.RateLimited(options.RetryAfterSeconds), requestId, options.RetryAfterSeconds);
            case SimFault.Overloaded:
                return Error(SimError.Overloaded, requestId, options.RetryAfterSeconds);
        }

        return request.Endpoint switch
        {
            SimEndpoint.Embeddings => Embeddings(request, body, config, requestId, faults.Drop),
            SimEndpoint.Moderations => Moderations(body, config, requestId, sequence, faults.Drop),
            SimEndpoint.Completions => Completions(request, body, config, requestId, sequence, faults.Drop, faults.StreamError),
            SimEndpoint.Responses => Responses(body, config, requestId, sequence, faults.Drop, faults.StreamError),
            SimEndpoint.ResponseGet or SimEndpoint.ResponseDelete or SimEndpoint.ResponseInputItems or SimEndpoint.ResponseCancel
                => Stored(request, requestId, faults.Drop),
            _ => Chat(request, body, config, requestId, sequence, faults.Drop, faults.StreamError),
        };
    }

    /// <summary>Writes <c>{"count":N,"unrecorded":M,"routes":[{"flavor","endpoint","count"}…],"request_ids":[…]}</c>.</summary>
    internal void WriteSeen(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("count"u8, RequestCount);
        w.WriteNumber("unrecorded"u8, UnrecordedRequestIds);
        w.WriteStartArray("routes"u8);
        for (var i = 0; i < RouteCount; i++)
        {
            WriteRoute(w, i, CountOf(i));
        }

        w.WriteEndArray();
        w.WriteStartArray("request_ids"u8);
        foreach (var pair in _seen)
        {
            w.WriteStringValue(pair.Key);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>API requests received on one route (flavor and endpoint) since start or <see cref="Reset"/>.</summary>
    /// <param name="flavor"><c>openai</c>, <c>azure_classic</c>, <c>azure_v1</c> or <c>anthropic</c>.</param>
    /// <param name="endpoint"><c>chat_completions</c>, <c>completions</c> (legacy), <c>embeddings</c>, <c>moderations</c>, <c>models</c>, <c>model</c>, <c>messages</c>,
    /// <c>messages_count_tokens</c>, <c>responses</c>, or a stored-response route: <c>response_get</c>, <c>response_delete</c>, <c>response_input_items</c>, <c>response_cancel</c>.</param>
    public long RequestCountFor(string flavor, string endpoint)
    {
        for (var i = 0; i < RouteCount; i++)
        {
            if (string.Equals(s_flavorNames[i / EndpointCount], flavor, StringComparison.Ordinal)
                && string.Equals(s_endpointNames[i % EndpointCount], endpoint, StringComparison.Ordinal))
            {
                return CountOf(i);
            }
        }

        return 0;
    }

    private long CountOf(int route)
    {
        if (route != 0)
        {
            return Interlocked.Read(ref _routeCounts[route]);
        }

        // OpenAI chat completions are not counted in Handle (their path stays as cheap as before): all minus the others.
        var others = 0L;
        for (var i = 1; i < RouteCount; i++)
        {
            others += Interlocked.Read(ref _routeCounts[i]);
        }

        return Math.Max(0, RequestCount - others);
    }

    private static int RouteIndex(SimFlavor flavor, SimEndpoint endpoint) => ((int)flavor * EndpointCount) + (int)endpoint;

    private static void WriteRoute(Utf8JsonWriter w, int index, long count)
    {
        if (count <= 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("flavor"u8, s_flavorNames[index / EndpointCount]);
        w.WriteString("endpoint"u8, s_endpointNames[index % EndpointCount]);
        w.WriteNumber("count"u8, count);
        w.WriteEndObject();
    }

    private void Record(string id, int max)
    {
        // ConcurrentDictionary.Count takes every lock, so the distinct count is kept separately (may overshoot by a few under races).
        if (Interlocked.Read(ref _distinctIds) >= max && !_seen.ContainsKey(id))
        {
            Interlocked.Increment(ref _unrecordedIds);
            return;
        }

        if (_seen.AddOrUpdate(id, 1, static (_, n) => n + 1) == 1)
        {
            Interlocked.Increment(ref _distinctIds);
        }
    }

    private static string RequestId(ulong sequence, ulong seed) =>
        string.Create(20, SimHash.Mix(sequence ^ seed), static (span, value) =>
        {
            "req_".CopyTo(span);
            value.TryFormat(span[4..], out _, "x16");
        });

    private static SimResponse Error(SimError error, string requestId, int retryAfter = -1)
    {
        var body = new PooledBufferWriter(512);
        var w = RentWriter(body);
        WriteError(w, error);
        w.Flush();
        return new SimResponse { StatusCode = error.Status, Body = body, RequestId = requestId, RetryAfterSeconds = retryAfter };
    }

    /// <summary>A per-thread <see cref="Utf8JsonWriter"/> reset onto <paramref name="output"/>; only for synchronous writes.</summary>
    internal static Utf8JsonWriter RentWriter(PooledBufferWriter output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, ChatWriter.WriterOptions);
            t_writer = writer;
            return writer;
        }

        writer.Reset(output);
        return writer;
    }

    internal static void WriteError(Utf8JsonWriter w, SimError error)
    {
        w.WriteStartObject();
        w.WriteStartObject("error"u8);
        w.WriteString("message"u8, error.Message);
        WriteNullable(w, "type"u8, error.Type);
        WriteNullable(w, "param"u8, error.Param);
        WriteNullable(w, "code"u8, error.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static SimResponse Json<TState>(string requestId, Action<Utf8JsonWriter, TState> write, TState state, TimeSpan delay = default, bool drop = false)
    {
        var body = new PooledBufferWriter(2048);
        var w = RentWriter(body);
        write(w, state);
        w.Flush();
        return new SimResponse { Body = body, RequestId = requestId, Delay = delay, Drop = drop };
    }

    private static void WriteModels(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        foreach (var (id, owner) in KnownModels.All)
        {
            WriteModelObject(w, id, owner);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter w, string model)
    {
        var owner = "system";
        foreach (var (id, knownOwner) in KnownModels.All)
        {
            if (string.Equals(id, model, StringComparison.Ordinal))
            {
                owner = knownOwner;
            }
        }

        WriteModelObject(w, model, owner);
    }

    private static void WriteModelObject(Utf8JsonWriter w, string id, string owner)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "model"u8);
        w.WriteNumber("created"u8, KnownModels.Created);
        w.WriteString("owned_by"u8, owner);
        w.WriteEndObject();
    }
}
