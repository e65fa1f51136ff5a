// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Admin;
using Charter.Audit;
using Charter.Audit.Http;
using Charter.Audit.Storage;
using Charter.AuditTrail;
using Charter.Configuration;
using Charter.Detection;
using Charter.Errors;
using Charter.Forwarding;
using Charter.Keys;
using Charter.Observability;
using Charter.Policy;
using Charter.Providers;
using Charter.Records;
using Charter.Routing;
using Charter.Sim;
using Charter.Storage;
using Charter.UsageReports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Hosting;

/// <summary>Builds the gateway process: configuration stack, services, endpoints.</summary>
public static partial class CharterHost
{
    /// <summary>Builds (but does not start) the gateway.</summary>
    /// <exception cref="CharterConfigurationException">The configuration is invalid; every error is listed.</exception>
    public static WebApplication Build(CharterHostSettings settings, Func<IServiceProvider, IGatewayStore> storeFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The default builder watches appsettings*.json with a recursive FileSystemWatcher on the content root (the working
        // directory), which wakes on every journal and SQLite write there: ~7% of the CPU under load. Charter reads
        // charter.json once, so no reload watching.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        var config = builder.Configuration;
        var file = settings.ConfigFile ?? Path.Combine(Directory.GetCurrentDirectory(), "charter.json");
        if (settings.ConfigFile is not null && !File.Exists(file))
        {
            throw new CharterConfigurationException([$"The configuration file '{file}' does not exist."]);
        }

        config.AddJsonFile(file, optional: true, reloadOnChange: false);
        config.AddEnvironmentVariables("CHARTER__");
        var flags = new Dictionary<string, string?>(settings.Overrides, StringComparer.OrdinalIgnoreCase);
        if (settings.Database is not null)
        {
            flags["Storage:Database"] = settings.Database;
        }

        if (settings.Upstream is not null)
        {
            flags["Gateway:Upstream"] = settings.Upstream;
        }

        if (settings.UpstreamKey is not null)
        {
            flags["Gateway:UpstreamKey"] = settings.UpstreamKey;
        }

        config.AddInMemoryCollection(flags);

        var gateway = config.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        var providers = config.GetSection("Providers").Get<ProvidersOptions>() ?? new ProvidersOptions();
        var records = config.GetSection("Records").Get<RecordsOptions>() ?? new RecordsOptions();
        var storage = config.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var metrics = config.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        var readiness = config.GetSection("Readiness").Get<ReadinessOptions>() ?? new ReadinessOptions();
        var errors = CharterConfigValidator.Validate(gateway, providers, records, metrics, readiness);
        if (errors.Count > 0)
        {
            throw new CharterConfigurationException(errors);
        }

        ApplyDefaults(gateway, providers, out var mode);
        builder.WebHost.UseUrls(settings.Urls);
        // Inline scheduling: Kestrel runs a connection's request on the thread that completed its socket read instead of
        // queueing it to the thread pool (one hand-off and one thread wake-up less per request; see docs/performance.md).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = gateway.InlineScheduling);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = gateway.MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Charter", settings.LogLevel);

        // ASP.NET Core's per-request diagnostics create an Activity, a logging scope and async-local state for every request
        // whenever this category is enabled at any level (~0.5 KB and a few µs a request, and a child Activity on the
        // upstream call). Charter logs no request lines (its request records are the log); Kestrel still logs failures.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(gateway));
        services.AddSingleton(Options.Create(providers));
        services.AddSingleton(Options.Create(records));
        services.AddSingleton(Options.Create(storage));
        services.AddSingleton(new GatewayMode(mode));
        services.TryAddSingleton(storeFactory);
        services.TryAddSingleton(sp => sp.GetRequiredService<Func<IServiceProvider, IGatewayStore>>()(sp));
        services.TryAddSingleton(sp => new Journal(records, JournalDirectory(records, storage)));
        services.TryAddSingleton<KeyRegistry>();
        services.AddHostedService<KeyRefreshService>();
        // Audit: the Merkle log over the same database; admin and auditor keys may read it. Registered before the pipeline so
        // that its hosted service (checkpointer or sequencer) stops after the pipeline's final flush and signs that too.
        services.TryAddSingleton<IAuditAuthorizer>(sp => new DelegateAuditAuthorizer(async ctx =>
            await AdminApi.IsAuthenticatedAsync(ctx).ConfigureAwait(false) ? AuditAccess.Allowed : AuditAccess.Unauthenticated));
        services.AddCharterAudit(o => o.DatabasePath = storage.Database);
        services.TryAddSingleton<EventPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<EventPipeline>());
        var simOptions = config.GetSection("Sim").Get<SimulatorOptions>() ?? new SimulatorOptions();
        services.TryAddSingleton(sp => new Simulator(simOptions, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new RouteTable(providers, UpstreamFactory.Create(providers.Accounts, () => new SimulatorHttpHandler(sp.GetRequiredService<Simulator>()))));
        services.TryAddSingleton<IRequestAuthorizer, BasicRequestAuthorizer>();
        services.AddCharterAccounting();
        services.TryAddSingleton<IUsageEstimator, TokenizerUsageEstimator>();
        services.TryAddSingleton<IRequestLimiter, GatewayLimiter>();
        services.TryAddSingleton<ResponseOwners>();
        services.TryAddSingleton<GatewayHandler>();
        services.TryAddSingleton<ModelsHandler>();
        services.TryAddSingleton(sp => new AdminService(sp.GetRequiredService<IGatewayStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<KeyRegistry>(), sp.GetRequiredService<Journal>(), sp.GetRequiredService<IChangeNotifier>(), sp.GetRequiredService<AdminAuthenticator>()));
        services.AddHostedService<ChangeInvalidationService>();
        services.TryAddSingleton(sp => new AdminAuthenticator(sp.GetRequiredService<IGatewayStore>(), settings.AdminKey, sp.GetRequiredService<KeyRegistry>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<AuditOptions>().ElectSequencer == true && sp.GetService<IAuditQueueStore>() is { } queue
            ? new AuditQueueSink(sp.GetRequiredService<AuditLog>(), queue, sp.GetRequiredService<Journal>())
            : ActivatorUtilities.CreateInstance<AuditSink>(sp));

        // Detection: the same engine as the offline backtest, fed by the pipeline.
        var detectionActions = config.GetSection("Detection:Actions").Get<DetectionActionOptions>() ?? new DetectionActionOptions();
        var enforcement = config.GetSection("Detection").Get<DetectionEnforcement>() ?? new DetectionEnforcement();
        services.AddSingleton(enforcement);
        services.TryAddSingleton(_ => new DetectionEngine(new DetectionOptions { Actions = detectionActions }));
        services.AddSingleton<IFindingActionHandler, FindingLifecycleActions>();
        services.TryAddSingleton<IFindingStore, InMemoryFindingStore>();
        services.TryAddSingleton<DetectionSink>();
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<DetectionSink>());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddOpenApi("admin");
        // A control-plane body that does not bind throws, so that ControlPlaneErrors can say why instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddCharterMetrics(metrics);
        services.TryAddSingleton(sp =>
        {
            var pipeline = sp.GetRequiredService<EventPipeline>();
            var store = sp.GetRequiredService<IGatewayStore>();
            return new ReadinessCheck(readiness, () => pipeline.IsRunning, () => pipeline.BacklogBytes, ct => store.GetJournalPositionAsync(ct));
        });
        services.AddCharterPolicy(settings, config);
        services.AddCharterBudgetHolds();
        settings.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        app.Use(ControlPlaneOffload.InvokeAsync);
        MapEndpoints(app);
        return app;
    }

    /// <summary>Runs start-up work that must finish before the first request: schema, key cache.</summary>
    public static async Task InitializeAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var store = app.Services.GetRequiredService<IGatewayStore>();
        await store.MigrateAsync().ConfigureAwait(false);
        await app.Services.GetRequiredService<KeyRegistry>().ReloadAsync().ConfigureAwait(false);
    }

    /// <summary>Maps every endpoint.</summary>
    public static void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var handler = app.Services.GetRequiredService<GatewayHandler>();
        var models = app.Services.GetRequiredService<ModelsHandler>();
        app.MapPost("/v1/chat/completions", (RequestDelegate)handler.HandleChatAsync).WithName("ChatCompletions");
        app.MapPost("/v1/embeddings", (RequestDelegate)handler.HandleEmbeddingsAsync).WithName("Embeddings");
        app.MapPost("/v1/responses", (RequestDelegate)handler.HandleResponsesAsync).WithName("Responses");
        app.MapPost("/v1/completions", (RequestDelegate)handler.HandleCompletionsAsync).WithName("Completions");
        app.MapPost("/v1/moderations", (RequestDelegate)handler.HandleModerationsAsync).WithName("Moderations");
        app.MapPost("/v1/messages", (RequestDelegate)handler.HandleMessagesAsync).WithName("Messages");
        app.MapPost("/v1/messages/count_tokens", (RequestDelegate)handler.HandleCountTokensAsync).WithName("CountTokens");
        app.MapGet("/v1/responses/{id}", (RequestDelegate)handler.HandleRetrieveResponseAsync).WithName("RetrieveResponse");
        app.MapDelete("/v1/responses/{id}", (RequestDelegate)handler.HandleDeleteResponseAsync).WithName("DeleteResponse");
        app.MapGet("/v1/responses/{id}/input_items", (RequestDelegate)handler.HandleResponseInputItemsAsync).WithName("ResponseInputItems");
        app.MapPost("/v1/responses/{id}/cancel", (RequestDelegate)handler.HandleCancelResponseAsync).WithName("CancelResponse");
        app.MapGet("/v1/models", (RequestDelegate)models.HandleAsync).WithName("Models");
        app.MapGet("/v1/models/{model}", (RequestDelegate)models.HandleRetrieveAsync).WithName("Model");
        app.MapGet("/healthz", () => Results.Text("ok")).WithName("Health");
        app.MapGet("/readyz", (RequestDelegate)app.Services.GetRequiredService<ReadinessCheck>().HandleAsync).WithName("Ready");

        // Wrong method or unknown path under /v1: OpenAI's error shape, as for every other refusal, not an empty body.
        string[] notPost = [HttpMethods.Get, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Head];
        string[] notGet = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];
        app.MapMethods("/v1/chat/completions", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/embeddings", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/responses", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/completions", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/moderations", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/messages", notPost, MethodNotAllowed(HttpMethods.Post, anthropic: true)).ExcludeFromDescription();
        app.MapMethods("/v1/messages/count_tokens", notPost, MethodNotAllowed(HttpMethods.Post, anthropic: true)).ExcludeFromDescription();
        app.MapMethods("/v1/responses/{id}", [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Head], MethodNotAllowed("GET, DELETE")).ExcludeFromDescription();
        app.MapMethods("/v1/responses/{id}/input_items", notGet, MethodNotAllowed(HttpMethods.Get)).ExcludeFromDescription();
        app.MapMethods("/v1/responses/{id}/cancel", notPost, MethodNotAllowed(HttpMethods.Post)).ExcludeFromDescription();
        app.MapMethods("/v1/models", notGet, MethodNotAllowed(HttpMethods.Get)).ExcludeFromDescription();
        app.MapMethods("/v1/models/{model}", notGet, MethodNotAllowed(HttpMethods.Get)).ExcludeFromDescription();
        app.MapFallback("/v1/{**path}", UnknownUrlAsync).ExcludeFromDescription();
        app.MapAdminApi();
        app.MapUsageApi();
        app.MapAdminUi();
        app.MapAuditApi();
        app.MapLifecycleApi();
        app.MapLimitsApi();
        app.MapEvalRunsApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapCharterMetrics();
    }

    // In the error shape of the API the path belongs to (Anthropic's for /v1/messages).
    private static RequestDelegate MethodNotAllowed(string allowed, bool anthropic = false) => context =>
    {
        context.Response.Headers.Allow = allowed;
        var message = $"{context.Request.Method} is not supported on {context.Request.Path}; use {allowed}.";
        return anthropic
            ? AnthropicErrorWriter.WriteAsync(context, CharterError.MethodNotAllowed, message)
            : OpenAiErrorWriter.WriteAsync(context, CharterError.MethodNotAllowed, message);
    };

    private static Task UnknownUrlAsync(HttpContext context) =>
        OpenAiErrorWriter.WriteAsync(context, CharterError.UnknownUrl, $"Invalid URL ({context.Request.Method} {context.Request.Path}).");

    /// <summary>Fills in the simulated provider or the <c>--upstream</c> account when no account is configured.</summary>
    internal static void ApplyDefaults(GatewayOptions gateway, ProvidersOptions providers, out string mode)
    {
        if (providers.Accounts.Count > 0)
        {
            mode = $"{providers.Accounts.Count} configured provider account(s)";
            return;
        }

        if (!string.IsNullOrEmpty(gateway.Upstream))
        {
            providers.Accounts.Add(new ProviderAccountOptions { Id = "upstream", Kind = "openai-compatible", BaseUrl = gateway.Upstream, ApiKey = gateway.UpstreamKey });
            mode = $"every model forwarded to {gateway.Upstream}";
            return;
        }

        providers.Accounts.Add(new ProviderAccountOptions { Id = "sim", Kind = "sim" });
        mode = "no provider configured: every model is served by the built-in simulated provider";
    }

    private static string JournalDirectory(RecordsOptions records, StorageOptions storage)
    {
        if (!string.IsNullOrEmpty(records.JournalDirectory))
        {
            return records.JournalDirectory;
        }

        var db = storage.Database;
        if (db.Contains("://", StringComparison.Ordinal) || db.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return Path.Combine(Directory.GetCurrentDirectory(), "charter-journal");
        }

        var full = Path.GetFullPath(db);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "-journal");
    }
}
