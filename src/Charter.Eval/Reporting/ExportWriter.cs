// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Charter.Eval.Reporting;

/// <summary>Writes the JSON documents of the CLI (indented, snake_case, source-generated).</summary>
public static class ExportWriter
{
    private static readonly JsonWriterOptions _writer = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(RunExport export) => Write(export, EvalJsonContext.Default.RunExport);

    public static string ToJson(RunListExport export) => Write(export, EvalJsonContext.Default.RunListExport);

    public static string ToJson(RunComparisonExport export) => Write(export, EvalJsonContext.Default.RunComparisonExport);

    private static string Write<T>(T value, JsonTypeInfo<T> info)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, _writer))
        {
            JsonSerializer.Serialize(writer, value, info);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
