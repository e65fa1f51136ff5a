// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Validates the whole configuration and collects every error rather than stopping at the first.</summary>
public static class CharterConfigValidator
{
    private static readonly string[] s_kinds = ["openai", "azure-openai", "anthropic", "openai-compatible", "sim"];

    /// <summary>Returns every problem found; empty when the configuration is usable.</summary>
    public static IReadOnlyList<string> Validate(GatewayOptions gateway, ProvidersOptions providers, RecordsOptions records,
        Observability.MetricsOptions? metrics = null, Hosting.ReadinessOptions? readiness = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(records);
        var errors = new List<string>();
        if (gateway.MaxRequestBodyBytes <= 0)
        {
            errors.Add($"Gateway:MaxRequestBodyBytes must be positive (got {gateway.MaxRequestBodyBytes}).");
        }

        if (gateway.UpstreamTimeoutSeconds <= 0)
        {
            errors.Add($"Gateway:UpstreamTimeoutSeconds must be positive (got {gateway.UpstreamTimeoutSeconds}).");
        }

        if (gateway.Retries is < 0 or > 5)
        {
            errors.Add($"Gateway:Retries must be between 0 and 5 (got {gateway.Retries}).");
        }

        if (gateway.RetryBackoffMs is < 0 or > 60_000)
        {
            errors.Add($"Gateway:RetryBackoffMs must be between 0 and 60000 (got {gateway.RetryBackoffMs}).");
        }

        if (gateway.MaxRetryWaitMs is < 0 or > 60_000)
        {
            errors.Add($"Gateway:MaxRetryWaitMs must be between 0 and 60000 (got {gateway.MaxRetryWaitMs}).");
        }

        if (!string.IsNullOrEmpty(gateway.Upstream) && !IsHttpUrl(gateway.Upstream))
        {
            errors.Add($"Gateway:Upstream '{gateway.Upstream}' is not an absolute http(s) URL.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < providers.Accounts.Count; i++)
        {
            var a = providers.Accounts[i];
            var where = $"Providers:Accounts:{i}";
            if (string.IsNullOrWhiteSpace(a.Id))
            {
                errors.Add($"{where}:Id is required.");
            }
            else if (!ids.Add(a.Id))
            {
                errors.Add($"{where}:Id '{a.Id}' is used by another account.");
            }

            if (Array.IndexOf(s_kinds, a.Kind) < 0)
            {
                errors.Add($"{where}:Kind '{a.Kind}' is not one of {string.Join(", ", s_kinds)}.");
            }

            if (a.Kind != "sim" && (string.IsNullOrEmpty(a.BaseUrl) || !IsHttpUrl(a.BaseUrl)))
            {
                errors.Add($"{where}:BaseUrl '{a.BaseUrl}' must be an absolute http(s) URL.");
            }

            if (a.Kind == "azure-openai" && a.AzureRoute == "deployments" && string.IsNullOrWhiteSpace(a.ApiVersion))
            {
                errors.Add($"{where}:ApiVersion is required for the Azure deployments route (e.g. 2024-10-21).");
            }

            if (a.Kind == "azure-openai" && a.AzureRoute is not ("deployments" or "v1"))
            {
                errors.Add($"{where}:AzureRoute '{a.AzureRoute}' must be 'deployments' or 'v1'.");
            }

            if (a.Kind == "anthropic" && a.DefaultMaxTokens < 1)
            {
                errors.Add($"{where}:DefaultMaxTokens must be at least 1 (Anthropic requires max_tokens; it is sent when the client gives none).");
            }

            if (a.Kind == "anthropic" && string.IsNullOrWhiteSpace(a.AnthropicVersion))
            {
                errors.Add($"{where}:AnthropicVersion is required for an Anthropic account (e.g. 2023-06-01).");
            }

            if (!string.IsNullOrEmpty(a.ApiKeyEnv) && Environment.GetEnvironmentVariable(a.ApiKeyEnv) is null)
            {
                errors.Add($"{where}:ApiKeyEnv names '{a.ApiKeyEnv}', which is not set in the environment.");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < providers.Models.Count; i++)
        {
            var m = providers.Models[i];
            var where = $"Providers:Models:{i}";
            if (string.IsNullOrWhiteSpace(m.Name))
            {
                errors.Add($"{where}:Name is required.");
            }
            else if (!names.Add(m.Name))
            {
                errors.Add($"{where}:Name '{m.Name}' is defined twice.");
            }

            if (m.Targets.Count == 0)
            {
                errors.Add($"{where}:Targets must name at least one account.");
            }

            for (var j = 0; j < m.Targets.Count; j++)
            {
                var t = m.Targets[j];
                if (!ids.Contains(t.Account))
                {
                    errors.Add($"{where}:Targets:{j}:Account '{t.Account}' is not a configured account.");
                }

                if (t.Weight <= 0)
                {
                    errors.Add($"{where}:Targets:{j}:Weight must be positive (got {t.Weight}).");
                }
            }
        }

        if (records.Fsync is not ("always" or "interval"))
        {
            errors.Add($"Records:Fsync '{records.Fsync}' must be 'always' or 'interval'.");
        }

        if (records.FsyncIntervalMs is <= 0 or > 100)
        {
            errors.Add($"Records:FsyncIntervalMs must be between 1 and 100 (got {records.FsyncIntervalMs}).");
        }

        if (records.IntegrateIntervalMs is <= 0 or > 10_000)
        {
            errors.Add($"Records:IntegrateIntervalMs must be between 1 and 10000 (got {records.IntegrateIntervalMs}).");
        }

        if (records.IntegratorSliceMicroseconds is not 0 and (< 100 or > 100_000))
        {
            errors.Add($"Records:IntegratorSliceMicroseconds must be 0 (the kernel's) or between 100 and 100000 (got {records.IntegratorSliceMicroseconds}).");
        }

        if (records.SegmentBytes < 1024 * 1024)
        {
            errors.Add($"Records:SegmentBytes must be at least 1 MiB (got {records.SegmentBytes}).");
        }

        if (metrics is not null)
        {
            if (!metrics.Path.StartsWith('/'))
            {
                errors.Add($"Metrics:Path '{metrics.Path}' must start with '/'.");
            }

            if (metrics.MaxModels <= 0)
            {
                errors.Add($"Metrics:MaxModels must be positive (got {metrics.MaxModels}).");
            }

            if (!string.IsNullOrEmpty(metrics.OtlpEndpoint) && !(Uri.TryCreate(metrics.OtlpEndpoint, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https"))
            {
                errors.Add($"Metrics:OtlpEndpoint '{metrics.OtlpEndpoint}' must be an absolute http(s) URL.");
            }
        }

        if (readiness is not null)
        {
            if (readiness.MaxBacklogBytes < 0)
            {
                errors.Add($"Readiness:MaxBacklogBytes must be 0 (no check) or positive (got {readiness.MaxBacklogBytes}).");
            }

            if (readiness.DatabaseTimeoutMs <= 0)
            {
                errors.Add($"Readiness:DatabaseTimeoutMs must be positive (got {readiness.DatabaseTimeoutMs}).");
            }
        }

        return errors;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
