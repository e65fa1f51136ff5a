// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>Applies a JSON object of option fields (snake_case or PascalCase) atomically; returns an error or null.</summary>
    /// <remarks>
    /// Example: <c>{"suspended_account":true}</c>, <c>{"rate_limit_rate":1,"retry_after_seconds":2}</c>,
    /// <c>{"accuracy":{"gpt-4o":0.9}}</c> (merged into the map). Unknown fields are an error.
    /// </remarks>
    internal SimError? ApplyConfigJson(in ReadOnlySequence<byte> json)
    {
        var next = _config.Options.Clone();
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Normalize(reader.GetString()!);
                var error = ApplyField(ref reader, name, next);
                if (error is not null)
                {
                    return error;
                }
            }
        }
        catch (JsonException)
        {
            return SimError.Malformed;
        }

        var errors = next.Validate();
        if (errors.Count > 0)
        {
            return new SimError(400, string.Join(" ", errors), "invalid_request_error", null, "invalid_value");
        }

        _config = new SimConfig(next);
        return null;
    }

    /// <summary>Writes the options in force as snake_case JSON.</summary>
    internal void WriteConfig(Utf8JsonWriter w)
    {
        var o = _config.Options;
        w.WriteStartObject();
        w.WriteNumber("time_to_first_token_ms"u8, o.TimeToFirstTokenMs);
        w.WriteNumber("tokens_per_second"u8, o.TokensPerSecond);
        w.WriteNumber("error_rate"u8, o.ErrorRate);
        w.WriteNumber("rate_limit_rate"u8, o.RateLimitRate);
        w.WriteNumber("overloaded_rate"u8, o.OverloadedRate);
        w.WriteNumber("retry_after_seconds"u8, o.RetryAfterSeconds);
        w.WriteNumber("drop_rate"u8, o.DropRate);
        w.WriteNumber("stream_error_rate"u8, o.StreamErrorRate);
        w.WriteBoolean("suspended_account"u8, o.SuspendedAccount);
        w.WriteStartObject("accuracy"u8);
        foreach (var pair in o.Accuracy)
        {
            w.WriteNumber(pair.Key, pair.Value);
        }

        w.WriteEndObject();
        w.WriteNumber("default_accuracy"u8, o.DefaultAccuracy);
        w.WriteNumber("min_completion_tokens"u8, o.MinCompletionTokens);
        w.WriteNumber("max_completion_tokens"u8, o.MaxCompletionTokens);
        w.WriteNumber("seed"u8, o.Seed);
        w.WriteBoolean("azure_content_filter_annotations"u8, o.AzureContentFilterAnnotations);
        w.WriteNumber("max_recorded_request_ids"u8, o.MaxRecordedRequestIds);
        w.WriteEndObject();
    }

    private static readonly string[] s_numberFields =
    [
        "timetofirsttokenms", "tokenspersecond", "errorrate", "ratelimitrate", "overloadedrate", "retryafterseconds", "droprate", "streamerrorrate",
        "defaultaccuracy", "mincompletiontokens", "maxcompletiontokens", "seed", "maxrecordedrequestids",
    ];

    private static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static SimError? ApplyField(ref Utf8JsonReader reader, string name, SimulatorOptions o)
    {
        if (name == "accuracy")
        {
            return ApplyAccuracy(ref reader, o);
        }

        if (name is "suspendedaccount" or "suspended" or "azurecontentfilterannotations")
        {
            var flag = name == "azurecontentfilterannotations" ? o.AzureContentFilterAnnotations : o.SuspendedAccount;
            var flagError = JsonRead.ReadBool(ref reader, name, ref flag);
            if (name == "azurecontentfilterannotations")
            {
                o.AzureContentFilterAnnotations = flag;
            }
            else
            {
                o.SuspendedAccount = flag;
            }

            return flagError;
        }

        if (Array.IndexOf(s_numberFields, name) < 0)
        {
            return SimError.InvalidValue(name, "unknown simulator option.");
        }

        var number = double.NaN;
        var error = JsonRead.ReadDouble(ref reader, name, ref number);
        if (error is not null || double.IsNaN(number))
        {
            // A JSON null leaves the field unchanged.
            return error;
        }

        switch (name)
        {
            case "timetofirsttokenms":
                o.TimeToFirstTokenMs = (int)number;
                break;
            case "tokenspersecond":
                o.TokensPerSecond = number;
                break;
            case "errorrate":
                o.ErrorRate = number;
                break;
            case "ratelimitrate":
                o.RateLimitRate = number;
                break;
            case "overloadedrate":
                o.OverloadedRate = number;
                break;
            case "retryafterseconds":
                o.RetryAfterSeconds = (int)number;
                break;
            case "droprate":
                o.DropRate = number;
                break;
            case "streamerrorrate":
                o.StreamErrorRate = number;
                break;
            case "defaultaccuracy":
                o.DefaultAccuracy = number;
                break;
            case "mincompletiontokens":
                o.MinCompletionTokens = (int)number;
                break;
            case "maxcompletiontokens":
                o.MaxCompletionTokens = (int)number;
                break;
            case "seed":
                o.Seed = (long)number;
                break;
            case "maxrecordedrequestids":
                o.MaxRecordedRequestIds = (int)Math.Clamp(number, -1, int.MaxValue);
                break;
            default:
                return SimError.InvalidValue(name, "unknown simulator option.");
        }

        return null;
    }

    private static SimError? ApplyAccuracy(ref Utf8JsonReader reader, SimulatorOptions o)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType("accuracy", "an object of model name to probability");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var model = reader.GetString()!;
            var value = double.NaN;
            var error = JsonRead.ReadDouble(ref reader, "accuracy." + model, ref value);
            if (error is not null)
            {
                return error;
            }

            if (double.IsNaN(value))
            {
                o.Accuracy.Remove(model);
            }
            else
            {
                o.Accuracy[model] = value;
            }
        }

        return null;
    }
}
