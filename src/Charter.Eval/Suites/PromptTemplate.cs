// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Eval.Suites;

/// <summary>A text with <c>{{name}}</c> placeholders, parsed once and rendered per case.</summary>
/// <remarks>Whitespace inside the braces is ignored (<c>{{ name }}</c>). A placeholder whose name is
/// unknown renders as the empty string; <see cref="SuiteLoader"/> reports such names as load errors.</remarks>
public sealed class PromptTemplate
{
    /// <summary>The empty template.</summary>
    public static readonly PromptTemplate Empty = new(string.Empty, [string.Empty], []);

    private readonly string[] _literals;
    private readonly string[] _names;

    private PromptTemplate(string source, string[] literals, string[] names)
    {
        Source = source;
        _literals = literals;
        _names = names;
    }

    /// <summary>The template text as written.</summary>
    public string Source { get; }

    /// <summary>Placeholder names, in order of appearance (may repeat).</summary>
    public IReadOnlyList<string> Variables => _names;

    /// <summary>Parses a template.</summary>
    public static PromptTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var literals = new List<string>();
        var names = new List<string>();
        var pos = 0;
        var literal = new StringBuilder();
        while (pos < source.Length)
        {
            var open = source.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            var name = source.AsSpan(open + 2, close - open - 2).Trim();
            if (name.Length == 0 || name.ContainsAny('{', '}'))
            {
                literal.Append(source, pos, open + 2 - pos);
                pos = open + 2;
                continue;
            }

            literal.Append(source, pos, open - pos);
            literals.Add(literal.ToString());
            literal.Clear();
            names.Add(name.ToString());
            pos = close + 2;
        }

        literal.Append(source, pos, source.Length - pos);
        literals.Add(literal.ToString());
        return new PromptTemplate(source, [.. literals], [.. names]);
    }

    /// <summary>Renders the template with the given variables.</summary>
    public string Render(IReadOnlyDictionary<string, string> vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return Render(name => vars.TryGetValue(name, out var v) ? v : null);
    }

    /// <summary>Renders the template, resolving each placeholder through <paramref name="lookup"/>.</summary>
    public string Render(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (_names.Length == 0)
        {
            return _literals[0];
        }

        var sb = new StringBuilder(Source.Length + 64);
        for (var i = 0; i < _names.Length; i++)
        {
            sb.Append(_literals[i]);
            sb.Append(lookup(_names[i]));
        }

        sb.Append(_literals[^1]);
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Source;
}
