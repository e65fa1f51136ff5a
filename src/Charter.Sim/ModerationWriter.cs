// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes a deterministic moderation answer (spec <c>CreateModerationResponse</c>).</summary>
/// <remarks>
/// Each category's score comes from a hash of (input, model, seed, category): below 0.05 (mostly far below, like a real model's
/// scores for ordinary text), or in [0.905, 0.995) when the text contains the category's marker word, which also flags the
/// category and the result. <c>category_applied_input_types</c> is <c>["text"]</c> when text was given, plus <c>"image"</c> for the
/// categories OpenAI scores images for when an image was given (an image-only input leaves the text-only categories <c>[]</c>).
/// </remarks>
internal static class ModerationWriter
{
    /// <summary>Largest score of a category without its marker.</summary>
    public const double LowScoreCeiling = 0.05;

    /// <summary>Smallest score of a category with its marker.</summary>
    public const double MarkedScoreFloor = 0.905;

    public static void Write(Utf8JsonWriter w, string id, ModerationRequest request, ulong seed)
    {
        var modelHash = SimHash.OfString(request.Model);
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("model"u8, request.Model);
        w.WriteStartArray("results"u8);
        foreach (var input in request.Inputs)
        {
            WriteResult(w, input, SimHash.Combine(SimHash.Combine(input.Hash, modelHash), seed));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The score of <paramref name="category"/> for an input whose (input, model, seed) hash is <paramref name="hash"/>.</summary>
    public static double Score(ulong hash, int markers, int category)
    {
        var unit = SimHash.Unit(SimHash.Combine(hash, (ulong)category));
        return (markers & (1 << category)) != 0
            ? MarkedScoreFloor + (unit * 0.09)
            : unit * unit * unit * (LowScoreCeiling - 0.001);
    }

    private static void WriteResult(Utf8JsonWriter w, ModerationInput input, ulong hash)
    {
        w.WriteStartObject();
        w.WriteBoolean("flagged"u8, input.Markers != 0);
        w.WriteStartObject("categories"u8);
        for (var c = 0; c < ModerationCategories.Count; c++)
        {
            w.WriteBoolean(ModerationCategories.Name(c), (input.Markers & (1 << c)) != 0);
        }

        w.WriteEndObject();
        w.WriteStartObject("category_scores"u8);
        for (var c = 0; c < ModerationCategories.Count; c++)
        {
            w.WriteNumber(ModerationCategories.Name(c), Score(hash, input.Markers, c));
        }

        w.WriteEndObject();
        w.WriteStartObject("category_applied_input_types"u8);
        for (var c = 0; c < ModerationCategories.Count; c++)
        {
            w.WriteStartArray(ModerationCategories.Name(c));
            if (input.HasText)
            {
                w.WriteStringValue("text"u8);
            }

            if (input.HasImage && ModerationCategories.AppliesToImages(c))
            {
                w.WriteStringValue("image"u8);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
