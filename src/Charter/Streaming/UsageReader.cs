// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Streaming;

/// <summary>Reads the top-level <c>usage</c> object of a completion or chunk without allocating.</summary>
public static class UsageReader
{
    /// <summary>Finds <c>"usage":{…}</c> at the top level of <paramref name="json"/>; false when absent or null.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out Usage usage)
    {
        usage = default;
        // Cheap pre-check: most stream chunks carry no usage object at all.
        var at = json.IndexOf("\"usage\""u8);
        if (at < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
                    {
                        reader.Read();
                        reader.TryGetInt32(out usage.PromptTokens);
                    }
                    else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
                    {
                        reader.Read();
                        reader.TryGetInt32(out usage.CompletionTokens);
                    }
                    else if (reader.ValueTextEquals("prompt_tokens_details"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                            {
                                var cached = reader.ValueTextEquals("cached_tokens"u8);
                                reader.Read();
                                if (cached && reader.TokenType == JsonTokenType.Number)
                                {
                                    reader.TryGetInt32(out usage.CachedTokens);
                                }
                                else
                                {
                                    reader.Skip();
                                }
                            }
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                usage.Present = true;
                return true;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }
}
