// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Charter.Policy.Compilation;
using Charter.Policy.Parsing;

namespace Charter.Policy;

/// <summary>Loads, validates and compiles a policy set from a directory of YAML files or from in-memory sources.</summary>
public static class PolicyLoader
{
    /// <summary>Loads every <c>*.yaml</c> / <c>*.yml</c> file directly under <paramref name="directory"/>.</summary>
    /// <returns>The compiled set, or every error found in every file (never throws for bad policy).</returns>
    public static PolicyLoadResult LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return new PolicyLoadResult { Errors = [new PolicyError(directory, 0, 0, "policy directory does not exist")] };
        }

        var sources = new List<KeyValuePair<string, string>>();
        var errors = new List<PolicyError>();
        foreach (var path in EnumeratePolicyFiles(directory))
        {
            var name = Path.GetFileName(path);
            try
            {
                sources.Add(new(name, File.ReadAllText(path)));
            }
            catch (IOException ex)
            {
                errors.Add(new PolicyError(name, 0, 0, "cannot read file: " + ex.Message));
            }
            catch (UnauthorizedAccessException ex)
            {
                errors.Add(new PolicyError(name, 0, 0, "cannot read file: " + ex.Message));
            }
        }

        if (errors.Count > 0)
        {
            return new PolicyLoadResult { Errors = errors };
        }

        if (sources.Count == 0)
        {
            return new PolicyLoadResult { Errors = [new PolicyError(directory, 0, 0, "no *.yaml or *.yml files in the policy directory")] };
        }

        return LoadFromSources(sources, directory);
    }

    /// <summary>Loads a set from (name, YAML text) pairs; names are used in error messages only.</summary>
    public static PolicyLoadResult LoadFromSources(IEnumerable<KeyValuePair<string, string>> sources, string setName = "policies")
    {
        ArgumentNullException.ThrowIfNull(sources);
        var sorted = new List<KeyValuePair<string, string>>(sources);
        sorted.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        var parser = new PolicyParser();
        var files = new List<string>(sorted.Count);
        foreach (var (name, text) in sorted)
        {
            files.Add(name);
            parser.ParseFile(name, text);
        }

        var (org, terms) = parser.Finish(setName);
        if (parser.Errors.Count > 0 || org is null)
        {
            var errors = new List<PolicyError>(parser.Errors);
            errors.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.File, b.File);
                return c != 0 ? c : a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);
            });
            return new PolicyLoadResult { Errors = errors };
        }

        var contents = new List<string>(sorted.Count);
        foreach (var (_, text) in sorted)
        {
            contents.Add(text);
        }

        return new PolicyLoadResult { Set = PolicyCompiler.Compile(org, terms, ComputeVersion(contents), files) };
    }

    /// <summary>The policy version: SHA-256 over the sorted SHA-256 digests of each file's content (line endings normalised to LF).</summary>
    /// <remarks>Independent of file order and file names; any change to any byte of policy content changes it.</remarks>
    public static string ComputeVersion(IEnumerable<string> contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var digests = new List<byte[]>();
        foreach (var content in contents)
        {
            var normalised = content.Replace("\r\n", "\n", StringComparison.Ordinal);
            digests.Add(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        }

        digests.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var digest in digests)
        {
            hash.AppendData(digest);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static List<string> EnumeratePolicyFiles(string directory)
    {
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(path);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
