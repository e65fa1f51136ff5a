// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;

namespace Charter.Tests.Detection;

/// <summary>Builds small constructed request sequences for the signal tests.</summary>
internal sealed class TrafficBuilder
{
    public static readonly long Start = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly string[] Fields = ["chemistry", "optics", "law", "botany", "finance", "poetry", "geology", "music", "ethics", "nursing"];
    private static readonly string[] Aspects = ["the history of", "open problems in", "famous figures of", "myths about", "tools used in", "careers in", "the future of"];
    private static readonly string[] Filler = ["table", "river", "window", "garden", "engine", "letter", "market", "island", "bridge", "candle", "forest", "mirror"];

    private readonly Random _random;

    public TrafficBuilder(int seed = 1) => _random = new Random(seed);

    public static DetectionRecord Record(
        string key,
        long ts,
        string prompt,
        int promptTokens = 20,
        int completionTokens = 1500,
        int maxTokens = 4096,
        string purpose = "production",
        string model = "gpt-4o",
        string team = "team-a",
        float temperature = 0.7f) => new()
        {
            TimestampMs = ts,
            Key = key,
            Team = team,
            Provider = "openai",
            Model = model,
            Purpose = purpose,
            PromptText = prompt,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            MaxTokens = maxTokens,
            Temperature = temperature,
        };

    /// <summary>A new enumerated topic question each call ("Explain … the history of chemistry").</summary>
    public string TopicQuestion(int i) =>
        $"Describe {Aspects[i % Aspects.Length]} {Fields[(i / Aspects.Length) % Fields.Length]} number {i} in depth.";

    /// <summary>A templated document-processing prompt with a random document.</summary>
    public string Document(string instruction, int words)
    {
        var parts = new string[words];
        for (int i = 0; i < words; i++)
        {
            parts[i] = Filler[_random.Next(Filler.Length)];
        }

        return instruction + "\n\n" + string.Join(' ', parts);
    }

    /// <summary>Random pseudo-words (no shared template).</summary>
    public string Words(int count)
    {
        var parts = new string[count];
        for (int i = 0; i < count; i++)
        {
            parts[i] = "w" + _random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return string.Join(' ', parts);
    }

    /// <summary>Inter-arrival gap in ms: exponential (Poisson traffic) around the mean.</summary>
    public long Gap(double meanSeconds) => (long)(-Math.Log(1 - _random.NextDouble()) * meanSeconds * 1000) + 1;

    public static DetectionEngine Run(IEnumerable<DetectionRecord> records, DetectionOptions? options = null)
    {
        var engine = new DetectionEngine(options);
        foreach (var r in records)
        {
            engine.Observe(r);
        }

        return engine;
    }

    public static double Signal(DetectionEngine engine, string key, DetectionSignal signal) =>
        engine.Get(DetectionSubjectKind.Key, key)!.Signals[DetectionSignals.Name(signal)];
}
