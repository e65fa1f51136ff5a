// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Charter.Policy;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary>`charter policy validate|explain`: check a policy directory and ask "would this request be allowed, and why".</summary>
internal static class PolicyCommands
{
    public static Command Create()
    {
        return new Command("policy", "Policy documents: validate them, explain decisions") { CreateValidate(), CreateExplain() };
    }

    private static Command CreateValidate()
    {
        var dir = new Argument<string>("DIR") { Description = "Policy directory", DefaultValueFactory = _ => "policies" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        var validate = new Command("validate", "Validate a policy directory and print every error (file:line:column)") { dir, json };
        validate.SetAction((ParseResult pr) =>
        {
            var path = pr.GetValue(dir)!;
            var result = PolicyLoader.LoadDirectory(path);
            if (pr.GetValue(json))
            {
                WriteJson(w =>
                {
                    w.WriteBoolean("valid", result.Succeeded);
                    if (result.Set is { } set)
                    {
                        w.WriteString("version", set.Version);
                        w.WriteNumber("rules", set.RuleCount);
                        w.WriteNumber("terms", set.TermsCount);
                        w.WriteNumber("purposes", set.Purposes.Count);
                    }

                    w.WriteStartArray("errors");
                    foreach (var e in result.Errors)
                    {
                        w.WriteStartObject();
                        w.WriteString("file", e.File);
                        w.WriteNumber("line", e.Line);
                        w.WriteNumber("column", e.Column);
                        w.WriteString("message", e.Message);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return result.Succeeded ? 0 : 1;
            }

            if (!result.Succeeded)
            {
                foreach (var e in result.Errors)
                {
                    Console.Error.WriteLine(e.ToString());
                }

                Console.Error.WriteLine($"invalid: {result.Errors.Count} error(s)");
                return 1;
            }

            var s = result.Set!;
            Console.WriteLine($"valid, version {s.Version}, {s.RuleCount} rules, {s.TermsCount} provider terms, {s.Purposes.Count} purposes ({s.Files.Count} files)");
            return 0;
        });
        return validate;
    }

    private static Command CreateExplain()
    {
        var key = new Option<string>("--key") { Description = "Key id", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "Declared purpose", Required = true };
        var model = new Option<string>("--model") { Description = "Upstream model name", Required = true };
        var provider = new Option<string>("--provider") { Description = "Provider kind: " + string.Join("|", ProviderKinds.Names), DefaultValueFactory = _ => "openai" };
        var account = new Option<string?>("--account") { Description = "Provider account id" };
        var team = new Option<string?>("--team") { Description = "Team id of the key" };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "ISO country code of the caller" };
        var param = new Option<string[]>("--param") { Description = "Request parameter NAME=VALUE (n, max_tokens, logprobs, top_logprobs, logit_bias, temperature, stream)", AllowMultipleArgumentsPerToken = false };
        var at = new Option<string?>("--at") { Description = "Request time (ISO 8601, default now)" };
        var policies = new Option<string>("--policies") { Description = "Policy directory", DefaultValueFactory = _ => "policies" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        var explain = new Command("explain", "Decide a hypothetical request and print every rule that matched")
        {
            key, purpose, model, provider, account, team, jurisdiction, param, at, policies, json,
        };
        explain.SetAction((ParseResult pr) =>
        {
            if (!ProviderKinds.TryParse(pr.GetValue(provider), out var kind))
            {
                Console.Error.WriteLine($"unknown provider '{pr.GetValue(provider)}' (expected {string.Join(", ", ProviderKinds.Names)})");
                return 2;
            }

            var timestamp = DateTimeOffset.UtcNow;
            if (pr.GetValue(at) is { } atText && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp))
            {
                Console.Error.WriteLine($"--at '{atText}' is not a date-time");
                return 2;
            }

            var request = new PolicyRequest
            {
                KeyId = pr.GetValue(key),
                TeamId = pr.GetValue(team),
                Purpose = pr.GetValue(purpose),
                Provider = kind.Value,
                AccountId = pr.GetValue(account),
                Model = pr.GetValue(model),
                Jurisdiction = pr.GetValue(jurisdiction)?.ToUpperInvariant(),
                Timestamp = timestamp,
            };
            foreach (var p in pr.GetValue(param) ?? [])
            {
                if (!TryApplyParam(ref request, p, out var error))
                {
                    Console.Error.WriteLine(error);
                    return 2;
                }
            }

            var load = PolicyLoader.LoadDirectory(pr.GetValue(policies)!);
            if (!load.Succeeded)
            {
                foreach (var e in load.Errors)
                {
                    Console.Error.WriteLine(e.ToString());
                }

                return 1;
            }

            var explanation = load.Set!.Explain(in request);
            if (pr.GetValue(json))
            {
                WriteExplanationJson(explanation);
            }
            else
            {
                PrintExplanation(request, explanation);
            }

            return 0;
        });
        return explain;
    }

    internal static bool TryApplyParam(ref PolicyRequest request, string text, out string? error)
    {
        error = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            error = $"--param '{text}' must be NAME=VALUE";
            return false;
        }

        var name = text[..eq].Trim();
        var value = text[(eq + 1)..].Trim();
        var inv = CultureInfo.InvariantCulture;
        switch (name)
        {
            case "n" when int.TryParse(value, inv, out var n):
                request = request with { N = n };
                return true;
            case "max_tokens" or "max_completion_tokens" when int.TryParse(value, inv, out var mt):
                request = request with { MaxTokens = mt };
                return true;
            case "top_logprobs" when int.TryParse(value, inv, out var tl):
                request = request with { TopLogprobs = tl };
                return true;
            case "logit_bias" when int.TryParse(value, inv, out var lb):
                request = request with { LogitBiasCount = lb };
                return true;
            case "temperature" when double.TryParse(value, NumberStyles.Float, inv, out var t):
                request = request with { Temperature = t };
                return true;
            case "logprobs" when bool.TryParse(value, out var lp):
                request = request with { Logprobs = lp };
                return true;
            case "stream" when bool.TryParse(value, out var s):
                request = request with { Stream = s };
                return true;
            default:
                error = $"--param '{text}': unknown name or bad value (n, max_tokens, top_logprobs, logit_bias = integer (logit_bias counts entries); temperature = number; logprobs, stream = true|false)";
                return false;
        }
    }

    private static void PrintExplanation(PolicyRequest r, PolicyExplanation x)
    {
        var d = x.Decision;
        var color = d.Effect switch { PolicyEffect.Deny => "red", PolicyEffect.Flag => "yellow", _ => "green" };
        var inv = CultureInfo.InvariantCulture;
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a README: do not wrap lines at the default 80 columns.
            AnsiConsole.Profile.Width = 1000;
        }

        AnsiConsole.MarkupLine($"[bold]Policy version[/] {x.PolicyVersion}");
        AnsiConsole.MarkupLine("[bold]Request[/]        " + Markup.Escape(
            $"key={r.KeyId} team={r.TeamId ?? "-"} purpose={r.Purpose} provider={r.Provider.ToWireName()} account={r.AccountId ?? "-"} " +
            $"model={r.Model} jurisdiction={r.Jurisdiction ?? "-"} n={(r.N == 0 ? "-" : r.N.ToString(inv))} " +
            $"max_tokens={r.MaxTokens?.ToString(inv) ?? "-"} logprobs={(r.Logprobs ? "true" : "false")} at={r.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", inv)}"));
        AnsiConsole.MarkupLine($"[bold]Decision[/]       [{color} bold]{d.Effect.ToString().ToUpperInvariant()}[/]"
            + (d.Code is null ? "" : " " + Markup.Escape(d.Code))
            + (d.RuleId is null ? "" : $" (rule {Markup.Escape(d.RuleId)})"));
        if (d.Message is not null)
        {
            AnsiConsole.MarkupLine("[bold]Message[/]        " + Markup.Escape(d.Message));
        }

        AnsiConsole.MarkupLine("[bold]Provider terms[/] " + Markup.Escape(x.AppliedTerms.Count == 0 ? "(none for this provider)" : string.Join("; ", x.AppliedTerms)));
        AnsiConsole.MarkupLine($"[bold]Matched[/] ({x.Matches.Count}, in evaluation order):");
        var i = 0;
        foreach (var m in x.Matches)
        {
            var note = m.Decisive ? "  [bold]<- decisive[/]" : m.SuppressedBy is { } by ? Markup.Escape($"  (suppressed by {by})") : "";
            var mColor = m.SuppressedBy is not null ? "grey" : m.Effect switch { PolicyEffect.Deny => "red", PolicyEffect.Flag => "yellow", _ => "green" };
            AnsiConsole.MarkupLine($"  {++i,2}. {m.Stage,-7} [{mColor}]{m.Effect.ToString().ToLowerInvariant(),-5}[/] {Markup.Escape(m.RuleId)}{note}");
            if (m.Message is not null && m.Message != m.RuleId)
            {
                AnsiConsole.MarkupLine("      " + Markup.Escape(m.Message));
            }
        }
    }

    private static void WriteExplanationJson(PolicyExplanation x)
    {
        WriteJson(w =>
        {
            w.WriteString("policy_version", x.PolicyVersion);
            w.WriteStartObject("decision");
            w.WriteString("effect", x.Decision.Effect.ToString().ToLowerInvariant());
            w.WriteString("code", x.Decision.Code);
            w.WriteString("rule", x.Decision.RuleId);
            w.WriteString("message", x.Decision.Message);
            w.WriteEndObject();
            w.WriteStartArray("applied_terms");
            foreach (var t in x.AppliedTerms)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
            w.WriteStartArray("matches");
            foreach (var m in x.Matches)
            {
                w.WriteStartObject();
                w.WriteString("stage", m.Stage);
                w.WriteString("rule", m.RuleId);
                w.WriteString("effect", m.Effect.ToString().ToLowerInvariant());
                w.WriteString("code", m.Code);
                w.WriteString("message", m.Message);
                w.WriteString("source", m.Source);
                w.WriteString("suppressed_by", m.SuppressedBy);
                w.WriteBoolean("decisive", m.Decisive);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }
}
