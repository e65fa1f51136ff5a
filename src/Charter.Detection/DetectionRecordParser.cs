// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Charter.Detection;

/// <summary>
/// Fast parser of request log records v1 (one JSON object per line) into <see cref="DetectionRecord"/>s.
/// Repeated short strings (key, team, model, purpose...) are interned so a long log does not allocate them per line.
/// Not thread-safe: use one instance per reader.
/// </summary>
public sealed class DetectionRecordParser
{
    private const int MaxPromptChars = 4096;
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private readonly Dictionary<ulong, string> _intern = new();
    private readonly StringBuilder _prompt = new(1024);

    /// <summary>Parses one JSON line. Returns false (and a null record) when the line is blank or malformed.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out DetectionRecord? record)
    {
        record = null;
        try
        {
            return TryParseCore(line, out record);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Builds the record of a gateway request from its body and the envelope the gateway already holds (the online path):
    /// the body is read by the same code as the <c>request</c> object of a log line, so a record observed online equals
    /// the one parsed from its exported log line. Returns false when the body is not a JSON object.
    /// </summary>
    public bool TryParseRequest(ReadOnlySpan<byte> body, in DetectionEnvelope envelope, out DetectionRecord? record)
    {
        record = null;
        var req = default(RequestFields);
        req.Responses = envelope.Endpoint == "responses";
        req.Messages = envelope.Endpoint == "messages";
        _prompt.Clear();
        if (!body.IsEmpty && !TryReadBody(body, ref req))
        {
            return false;
        }

        var model = envelope.Model;
        if (model.Length == 0 && req.Model is not null)
        {
            model = req.Model;
        }

        record = Build(envelope.TimestampMs, envelope.Key, envelope.Team, envelope.Provider, model, envelope.Purpose, envelope.Endpoint,
            envelope.Status, envelope.PromptTokens, envelope.CompletionTokens, envelope.RequestId, envelope.EvalRunId, in req);
        return true;
    }

    /// <summary>Reads every record of a `.jsonl` or `.jsonl.gz` file in file order; malformed lines are counted, not thrown.</summary>
    public static IEnumerable<DetectionRecord> ReadFile(string path, Action<int>? onMalformedLine = null)
    {
        var parser = new DetectionRecordParser();
        using var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using (stream)
        {
            foreach (var record in parser.ReadStream(stream, onMalformedLine))
            {
                yield return record;
            }
        }
    }

    /// <summary>Reads records from a stream of JSON lines.</summary>
    public IEnumerable<DetectionRecord> ReadStream(Stream stream, Action<int>? onMalformedLine = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int start = 0;
            int end = 0;
            int lineNo = 0;
            while (true)
            {
                if (start > 0 && start == end)
                {
                    start = end = 0;
                }

                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                int read = stream.Read(buffer, end, buffer.Length - end);
                bool eof = read == 0;
                end += read;
                while (true)
                {
                    int nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (nl < 0)
                    {
                        break;
                    }

                    lineNo++;
                    var line = buffer.AsSpan(start, nl);
                    start += nl + 1;
                    if (IsBlank(line))
                    {
                        continue;
                    }

                    if (TryParse(line, out var record))
                    {
                        yield return record!;
                    }
                    else
                    {
                        onMalformedLine?.Invoke(lineNo);
                    }
                }

                if (eof)
                {
                    if (end > start && !IsBlank(buffer.AsSpan(start, end - start)))
                    {
                        lineNo++;
                        if (TryParse(buffer.AsSpan(start, end - start), out var last))
                        {
                            yield return last!;
                        }
                        else
                        {
                            onMalformedLine?.Invoke(lineNo);
                        }
                    }

                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses `yyyy-MM-ddTHH:mm:ss[.fff...](Z|±hh:mm)` into Unix milliseconds.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out long unixMs)
    {
        unixMs = 0;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        int i = 19;
        int millis = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                if (digits < 3)
                {
                    millis = (millis * 10) + (s[i] - '0');
                }

                digits++;
                i++;
            }

            for (; digits < 3; digits++)
            {
                millis *= 10;
            }
        }

        long offsetMs = 0;
        if (i < s.Length)
        {
            if (s[i] == 'Z' || s[i] == 'z')
            {
                i++;
            }
            else if ((s[i] == '+' || s[i] == '-') && s.Length >= i + 6 && Digits(s, i + 1, 2, out int oh) && Digits(s, i + 4, 2, out int om))
            {
                offsetMs = ((oh * 60L) + om) * 60_000L * (s[i] == '+' ? 1 : -1);
                i += 6;
            }
        }

        if (i != s.Length)
        {
            return false;
        }

        long days = DaysFromCivil(year, month, day);
        unixMs = (((((days * 24) + hour) * 60) + minute) * 60 + Math.Min(second, 59)) * 1000L + millis - offsetMs;
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool TryParseCore(ReadOnlySpan<byte> line, out DetectionRecord? record)
    {
        record = null;
        var reader = new Utf8JsonReader(line, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        long ts = 0;
        bool hasTs = false;
        string? key = null, team = null, requestId = null, evalRun = null;
        string provider = "", model = "", purpose = "", endpoint = "chat.completions";
        int status = 200, promptTokens = 0, completionTokens = 0;
        var req = default(RequestFields);
        _prompt.Clear();

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("ts"u8))
            {
                hasTs = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryParseTimestamp(reader.ValueSpan, out ts);
            }
            else if (name.SequenceEqual("key"u8))
            {
                key = Intern(ref reader);
            }
            else if (name.SequenceEqual("team"u8))
            {
                team = Intern(ref reader);
            }
            else if (name.SequenceEqual("provider"u8))
            {
                provider = Intern(ref reader) ?? "";
            }
            else if (name.SequenceEqual("model"u8))
            {
                model = Intern(ref reader) ?? "";
            }
            else if (name.SequenceEqual("purpose"u8))
            {
                purpose = Intern(ref reader) ?? "";
            }
            else if (name.SequenceEqual("endpoint"u8))
            {
                endpoint = Intern(ref reader) ?? "";
            }
            else if (name.SequenceEqual("status"u8))
            {
                status = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int st) ? st : 0;
            }
            else if (name.SequenceEqual("request_id"u8) || name.SequenceEqual("id"u8))
            {
                requestId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("eval_run"u8))
            {
                evalRun = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (name.SequenceEqual("usage"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var u = reader.ValueSpan;
                    reader.Read();
                    if (u.SequenceEqual("prompt_tokens"u8) || u.SequenceEqual("input_tokens"u8))
                    {
                        promptTokens = ReadInt(ref reader);
                    }
                    else if (u.SequenceEqual("completion_tokens"u8) || u.SequenceEqual("output_tokens"u8))
                    {
                        completionTokens = ReadInt(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (name.SequenceEqual("request"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                req.Responses = endpoint == "responses"; // the v1 form puts the endpoint before the request
                req.Messages = endpoint == "messages";
                ReadRequest(ref reader, ref req);
            }
            else
            {
                reader.Skip();
            }
        }

        if (!hasTs || key is null)
        {
            return false;
        }

        if (model.Length == 0 && req.Model is not null)
        {
            model = req.Model;
        }

        record = Build(ts, key, team ?? "", provider, model, purpose, endpoint, status, promptTokens, completionTokens, requestId, evalRun, in req);
        return true;
    }

    private DetectionRecord Build(long ts, string key, string team, string provider, string model, string purpose, string endpoint, int status,
        int promptTokens, int completionTokens, string? requestId, string? evalRun, in RequestFields req) => new()
    {
        TimestampMs = ts,
        Key = key,
        Team = team,
        Provider = provider,
        Model = model,
        Purpose = purpose,
        Endpoint = endpoint,
        PromptText = _prompt.ToString(),
        HasSystemPrompt = req.HasSystem,
        HasEndUser = req.HasUser,
        MaxTokens = req.MaxTokens,
        N = Math.Max(req.N <= 0 ? 1 : req.N, req.BestOf),
        Temperature = req.Temperature,
        TopP = req.TopP,
        Seed = req.HasSeed ? req.Seed : null,
        Logprobs = req.Logprobs || (req.Responses && req.TopLogprobs > 0),
        TopLogprobs = req.TopLogprobs,
        LogitBiasCount = req.LogitBias,
        Stream = req.Stream,
        PromptTokens = promptTokens,
        CompletionTokens = completionTokens,
        Status = status,
        RequestId = requestId,
        EvalRunId = evalRun,
    };

    // The body as the "request" object of a log line; false when it is not a JSON object.
    private bool TryReadBody(ReadOnlySpan<byte> body, ref RequestFields req)
    {
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadRequest(ref reader, ref req);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ReadRequest(ref Utf8JsonReader reader, ref RequestFields req)
    {
        req.N = 1;
        req.Temperature = float.NaN;
        req.TopP = float.NaN;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("messages"u8) && reader.TokenType == JsonTokenType.StartArray)
            {
                ReadMessages(ref reader, ref req);
            }
            else if (req.Responses && name.SequenceEqual("input"u8))
            {
                // A Responses input: one user message as a string, or items shaped like messages (role, content parts).
                // An exported record holds "sha256:<hex>" in its place (content not retained): no prompt, as for messages.
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (!IsRedactedHash(ref reader))
                    {
                        AppendPrompt(ref reader);
                    }
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadMessages(ref reader, ref req);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (req.Responses && name.SequenceEqual("instructions"u8))
            {
                req.HasSystem |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                reader.Skip();
            }
            else if (req.Messages && name.SequenceEqual("system"u8))
            {
                // An Anthropic Messages body's system prompt: a string, or text blocks.
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        req.HasSystem = true;
                        reader.Skip();
                    }
                }
                else
                {
                    req.HasSystem |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                    reader.Skip();
                }
            }
            else if (req.Responses && name.SequenceEqual("include"u8) && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    req.Logprobs |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("message.output_text.logprobs"u8);
                }
            }
            else if (name.SequenceEqual("max_tokens"u8) || name.SequenceEqual("max_completion_tokens"u8) || name.SequenceEqual("max_output_tokens"u8))
            {
                req.MaxTokens = Math.Max(req.MaxTokens, ReadInt(ref reader));
            }
            else if (name.SequenceEqual("n"u8))
            {
                req.N = ReadInt(ref reader);
            }
            else if (name.SequenceEqual("temperature"u8))
            {
                req.Temperature = ReadFloat(ref reader);
            }
            else if (name.SequenceEqual("top_p"u8))
            {
                req.TopP = ReadFloat(ref reader);
            }
            else if (name.SequenceEqual("seed"u8))
            {
                req.HasSeed = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out req.Seed);
            }
            else if (name.SequenceEqual("logprobs"u8))
            {
                // Chat: a boolean. Legacy completions: an integer, the alternatives per token (0: the chosen tokens' own).
                if (reader.TokenType == JsonTokenType.Number)
                {
                    var alternatives = ReadInt(ref reader);
                    req.Logprobs = alternatives >= 0;
                    req.TopLogprobs = Math.Max(req.TopLogprobs, alternatives);
                }
                else
                {
                    req.Logprobs = reader.TokenType == JsonTokenType.True;
                }
            }
            else if (name.SequenceEqual("top_logprobs"u8))
            {
                req.TopLogprobs = Math.Max(req.TopLogprobs, ReadInt(ref reader));
            }
            else if (name.SequenceEqual("logit_bias"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                int count = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    reader.Read();
                    reader.Skip();
                    count++;
                }

                req.LogitBias = count;
            }
            else if (name.SequenceEqual("stream"u8))
            {
                req.Stream = reader.TokenType == JsonTokenType.True;
            }
            else if (name.SequenceEqual("user"u8))
            {
                req.HasUser = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (name.SequenceEqual("model"u8))
            {
                req.Model = Intern(ref reader);
            }
            else if (name.SequenceEqual("prompt"u8))
            {
                // A legacy completions prompt: a string, or several (joined as messages are; token ids carry no text). An
                // exported record holds "sha256:<hex>" in its place (content not retained): no prompt.
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (!IsRedactedHash(ref reader))
                    {
                        AppendPrompt(ref reader);
                    }
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            AppendPrompt(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (name.SequenceEqual("best_of"u8))
            {
                // Candidates generated (and billed) though only n come back.
                req.BestOf = ReadInt(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ReadMessages(ref Utf8JsonReader reader, ref RequestFields req)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int role = 0; // 1 user, 2 system/developer, 3 other
            int contentStart = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("role"u8))
                {
                    var v = reader.ValueSpan;
                    role = v.SequenceEqual("user"u8) ? 1 : v.SequenceEqual("system"u8) || v.SequenceEqual("developer"u8) ? 2 : 3;
                    if (role == 2)
                    {
                        req.HasSystem = true;
                    }
                }
                else if (name.SequenceEqual("content"u8))
                {
                    // Content may come before the role: append provisionally and roll back if the role is not "user".
                    contentStart = _prompt.Length;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        AppendPrompt(ref reader);
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                                {
                                    bool isText = reader.ValueSpan.SequenceEqual("text"u8);
                                    reader.Read();
                                    if (isText && reader.TokenType == JsonTokenType.String)
                                    {
                                        AppendPrompt(ref reader);
                                    }
                                    else
                                    {
                                        reader.Skip();
                                    }
                                }
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (contentStart >= 0 && role is 2 or 3)
            {
                _prompt.Length = contentStart;
            }
        }
    }

    private void AppendPrompt(ref Utf8JsonReader reader)
    {
        if (_prompt.Length >= MaxPromptChars)
        {
            return;
        }

        if (_prompt.Length > 0)
        {
            _prompt.Append('\n');
        }

        int room = MaxPromptChars - _prompt.Length;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (span.Length > room)
            {
                span = span[..room];
            }

            int max = Encoding.UTF8.GetMaxCharCount(span.Length);
            Span<char> chars = max <= 2048 ? stackalloc char[max] : new char[max];
            int n = Encoding.UTF8.GetChars(span, chars);
            _prompt.Append(chars[..n]);
        }
        else
        {
            var s = reader.GetString() ?? "";
            _prompt.Append(s.AsSpan(0, Math.Min(s.Length, room)));
        }
    }

    private string? Intern(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 256)
        {
            return reader.GetString();
        }

        var span = reader.ValueSpan;
        ulong h = PromptAnalyzer.Fnv(span);
        if (_intern.TryGetValue(h, out var s) && s.Length == span.Length && Encoding.UTF8.GetByteCount(s) == span.Length && Matches(s, span))
        {
            return s;
        }

        s = Encoding.UTF8.GetString(span);
        if (_intern.Count < 100_000)
        {
            _intern[h] = s;
        }

        return s;
    }

    private static bool Matches(string s, ReadOnlySpan<byte> utf8)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != utf8[i])
            {
                return false;
            }
        }

        return true;
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out int v))
            {
                return v;
            }

            return reader.TryGetDouble(out double d) ? (int)Math.Clamp(d, int.MinValue, int.MaxValue) : 0;
        }

        reader.Skip();
        return 0;
    }

    private static float ReadFloat(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double d))
        {
            return (float)d;
        }

        reader.Skip();
        return float.NaN;
    }

    private struct RequestFields
    {
        public string? Model;
        public int MaxTokens;
        public int N;
        public float Temperature;
        public float TopP;
        public long Seed;
        public bool HasSeed;
        public bool Logprobs;
        public int TopLogprobs;
        public int LogitBias;
        public bool Stream;
        public bool HasUser;
        public bool HasSystem;
        public bool Responses;
        public bool Messages;
        public int BestOf;
    }

    // "sha256:" and 64 hex digits: what the record store writes in place of a prompt it does not retain.
    private static bool IsRedactedHash(ref Utf8JsonReader reader)
    {
        var v = reader.ValueSpan;
        return !reader.ValueIsEscaped && !reader.HasValueSequence && v.Length == 71 && v.StartsWith("sha256:"u8)
            && !v[7..].ContainsAnyExcept("0123456789abcdef"u8);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static bool Digits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        for (int i = at; i < at + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    private static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - (era * 400);
        long doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        long doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }
}
