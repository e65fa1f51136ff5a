// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Charter.Eval.Suites;

/// <summary>Converts YAML nodes to JSON text (for inline schemas and structured case variables).</summary>
internal static class YamlJson
{
    public static string ToJson(YamlNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A scalar's text, or the JSON text of a mapping or sequence.</summary>
    public static string ToVariable(YamlNode node)
        => node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : ToJson(node);

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)key).Value ?? string.Empty);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
        {
            switch (value)
            {
                case "true" or "True" or "TRUE":
                    writer.WriteBooleanValue(true);
                    return;
                case "false" or "False" or "FALSE":
                    writer.WriteBooleanValue(false);
                    return;
                case "null" or "~" or "":
                    writer.WriteNullValue();
                    return;
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                writer.WriteNumberValue(l);
                return;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                writer.WriteNumberValue(d);
                return;
            }
        }

        writer.WriteStringValue(value);
    }
}
