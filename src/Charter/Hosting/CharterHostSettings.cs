// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;

namespace Charter.Hosting;

/// <summary>What the CLI (or a test) decides about a gateway process before configuration is read.</summary>
public sealed class CharterHostSettings
{
    /// <summary>Listen URLs. Default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Database (SQLite path or PostgreSQL URL); null keeps configuration's <c>Storage:Database</c>.</summary>
    public string? Database { get; set; }

    /// <summary>The one-line quick start: forward every model to this OpenAI-compatible base URL.</summary>
    public string? Upstream { get; set; }

    /// <summary>API key for <see cref="Upstream"/>.</summary>
    public string? UpstreamKey { get; set; }

    /// <summary>Policy directory; null uses <c>./policies</c> when it exists.</summary>
    public string? Policies { get; set; }

    /// <summary>Optional configuration file; default <c>charter.json</c> in the working directory when present.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>Bootstrap admin key; default from <c>CHARTER_ADMIN_KEY</c>.</summary>
    public string? AdminKey { get; set; } = Environment.GetEnvironmentVariable("CHARTER_ADMIN_KEY");

    /// <summary>Redis (<c>host:port</c>) shared by several instances: limits, budgets and change notifications; null = in-process.</summary>
    public string? Redis { get; set; }

    /// <summary>Extra configuration values (flags), applied last.</summary>
    public Dictionary<string, string?> Overrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lets the composition root or a test add or replace services.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Console logging level for Charter's own logs. Default Information.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
