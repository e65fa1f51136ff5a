// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using Charter.Sim;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter sim</c>: runs the simulated provider (OpenAI, Azure OpenAI and Anthropic wire formats) as its own server.</summary>
internal static class SimCommands
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => "http://127.0.0.1:18080" };
        var ttft = new Option<int>("--ttft-ms") { Description = "Time to first token in milliseconds (default 0)" };
        var tps = new Option<double>("--tokens-per-second") { Description = "Generation speed after the first token; 0 = instant (default)" };
        var errorRate = new Option<double>("--error-rate") { Description = "Probability (0..1) of an HTTP 500" };
        var rateLimitRate = new Option<double>("--rate-limit-rate") { Description = "Probability (0..1) of an HTTP 429 with retry-after" };
        var overloadedRate = new Option<double>("--overloaded-rate") { Description = "Probability (0..1) of an overload with retry-after: 503 (OpenAI routes), 529 overloaded_error (Anthropic)" };
        var retryAfter = new Option<int>("--retry-after") { Description = "Seconds in retry-after of a simulated 429 or overload", DefaultValueFactory = _ => 1 };
        var dropRate = new Option<double>("--drop-rate") { Description = "Probability (0..1) of dropping the connection mid-response" };
        var streamErrorRate = new Option<double>("--stream-error-rate") { Description = "Probability (0..1) that a stream ends half-way with an error event" };
        var suspended = new Option<bool>("--suspended") { Description = "Answer every request with 403 account_deactivated" };
        var accuracy = new Option<string?>("--accuracy") { Description = "Multiple-choice accuracy per model, e.g. gpt-4o=0.85,gpt-4o-mini=0.7" };
        var defaultAccuracy = new Option<double>("--default-accuracy") { Description = "Accuracy of unlisted models", DefaultValueFactory = _ => 0.8 };
        var maxIds = new Option<int>("--max-recorded-ids") { Description = "Most distinct X-Charter-Request-Id values remembered (0 = none)", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated text, vectors and fault draws" };

        var command = new Command("sim", "Run the simulated provider: OpenAI, Azure OpenAI and Anthropic Messages APIs (deterministic text, latency, faults)")
        {
            urls, ttft, tps, errorRate, rateLimitRate, overloadedRate, retryAfter, dropRate, streamErrorRate, suspended, accuracy, defaultAccuracy, seed, maxIds,
        };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var options = new SimulatorOptions
            {
                TimeToFirstTokenMs = pr.GetValue(ttft),
                TokensPerSecond = pr.GetValue(tps),
                ErrorRate = pr.GetValue(errorRate),
                RateLimitRate = pr.GetValue(rateLimitRate),
                OverloadedRate = pr.GetValue(overloadedRate),
                RetryAfterSeconds = pr.GetValue(retryAfter),
                DropRate = pr.GetValue(dropRate),
                StreamErrorRate = pr.GetValue(streamErrorRate),
                SuspendedAccount = pr.GetValue(suspended),
                DefaultAccuracy = pr.GetValue(defaultAccuracy),
                Seed = pr.GetValue(seed),
                MaxRecordedRequestIds = pr.GetValue(maxIds),
            };

            var errors = new List<string>();
            ParseAccuracy(pr.GetValue(accuracy), options.Accuracy, errors);
            errors.AddRange(options.Validate());
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine("error: " + error);
                }

                return 2;
            }

            await using var app = SimulatorHost.Build(options, pr.GetValue(urls)!);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 1;
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            AnsiConsole.MarkupLine($"[green]Simulated provider[/] listening on [bold]{Markup.Escape(string.Join(", ", addresses ?? []))}[/] (Ctrl+C to stop)");
            AnsiConsole.MarkupLine(Markup.Escape(
                $"ttft={options.TimeToFirstTokenMs}ms tokens/s={options.TokensPerSecond} errors={options.ErrorRate} 429={options.RateLimitRate} overloaded={options.OverloadedRate} drops={options.DropRate} suspended={options.SuspendedAccount}"));
            // Ends on Ctrl+C or SIGTERM (the host's console lifetime) or when the command is cancelled.
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>model=p,model=p</c> into <paramref name="into"/>, collecting every error.</summary>
    internal static void ParseAccuracy(string? text, Dictionary<string, double> into, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq <= 0 || !double.TryParse(part.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add($"--accuracy: '{part}' is not model=probability.");
                continue;
            }

            into[part[..eq].Trim()] = value;
        }
    }
}
