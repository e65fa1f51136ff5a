// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The multi-modal parts of a moderation input: <c>{"type":"text","text"}</c> and <c>{"type":"image_url","image_url":{"url"}}</c>.</summary>
internal sealed partial class ModerationRequest
{
    private enum PartType
    {
        None,
        Text,
        Image,
    }

    /// <summary>Reads one part (the reader is on its <c>{</c>); members may come in any order, so the type is checked at the end.</summary>
    private static SimError? ParsePart(ref Utf8JsonReader reader, int index, PooledBufferWriter scratch, ref PartsAccumulator parts)
    {
        var type = PartType.None;
        ModerationInput? text = null;
        ulong? url = null;
        var sawImageUrl = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType(Param(index) + ".type", "a string");
                }

                type = reader.ValueTextEquals("text"u8) ? PartType.Text : reader.ValueTextEquals("image_url"u8) ? PartType.Image : PartType.None;
                if (type == PartType.None)
                {
                    return SimError.InvalidValue(Param(index) + ".type", "expected one of 'text' or 'image_url'.");
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType(Param(index) + ".text", "a string");
                }

                text = ReadText(ref reader, scratch);
            }
            else if (reader.ValueTextEquals("image_url"u8))
            {
                sawImageUrl = true;
                var error = ReadImageUrl(ref reader, index, scratch, ref url);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        switch (type)
        {
            case PartType.Text when text is { } value:
                parts.AddText(value);
                return null;
            case PartType.Text:
                return SimError.Missing(Param(index) + ".text");
            case PartType.Image when !sawImageUrl:
                return SimError.Missing(Param(index) + ".image_url");
            case PartType.Image when url is { } hash:
                parts.AddImage(hash);
                return null;
            case PartType.Image:
                return SimError.Missing(Param(index) + ".image_url.url");
            default:
                return SimError.Missing(Param(index) + ".type");
        }
    }

    /// <summary>Reads <c>image_url</c> (the reader is on the property name): an object whose <c>url</c> is a non-empty string.</summary>
    private static SimError? ReadImageUrl(ref Utf8JsonReader reader, int index, PooledBufferWriter scratch, ref ulong? url)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType(Param(index) + ".image_url", "an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("url"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return SimError.InvalidType(Param(index) + ".image_url.url", "a string");
            }

            scratch.Clear();
            JsonRead.AppendString(ref reader, scratch);
            if (scratch.WrittenCount == 0)
            {
                return SimError.InvalidValue(Param(index) + ".image_url.url", "expected a URL or a base64 data URL of an image.");
            }

            url = SimHash.Mix(SimHash.Add(SimHash.Offset, scratch.WrittenSpan));
        }

        return null;
    }

    /// <summary>Folds the parts of a multi-modal input into its one <see cref="ModerationInput"/>.</summary>
    /// <remarks>The texts' hashes are combined in order, so a lone text part scores as the same string given alone; image URLs are
    /// combined apart and mixed in at the end.</remarks>
    private struct PartsAccumulator
    {
        private ulong _text;
        private ulong _image;
        private int _markers;
        private bool _hasText;
        private bool _hasImage;

        /// <summary>True once a part was added.</summary>
        public readonly bool Any => _hasText || _hasImage;

        public void AddText(ModerationInput text)
        {
            _text = _hasText ? SimHash.Combine(_text, text.Hash) : text.Hash;
            _markers |= text.Markers;
            _hasText = true;
        }

        public void AddImage(ulong urlHash)
        {
            _image = _hasImage ? SimHash.Combine(_image, urlHash) : urlHash;
            _hasImage = true;
        }

        public readonly ModerationInput ToInput() =>
            new(_hasImage ? SimHash.Combine(_text, _image) : _text, _markers, _hasText, _hasImage);
    }
}
