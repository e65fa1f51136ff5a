// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Compression;

namespace Charter.Audit.Export;

/// <summary>Reads bundle files from a directory or a .zip.</summary>
internal sealed class BundleReader : IDisposable
{
    private readonly string? _directory;
    private readonly ZipArchive? _zip;

    private BundleReader(string? directory, ZipArchive? zip)
    {
        _directory = directory;
        _zip = zip;
    }

    public static BundleReader? Open(string path)
    {
        if (Directory.Exists(path))
        {
            return new BundleReader(path, null);
        }

        return File.Exists(path) ? new BundleReader(null, ZipFile.OpenRead(path)) : null;
    }

    public Stream? OpenRead(string name)
    {
        if (_zip is not null)
        {
            return _zip.GetEntry(name)?.Open();
        }

        var full = Path.Combine(_directory!, name.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(full) ? File.OpenRead(full) : null;
    }

    public byte[]? ReadAllBytes(string name)
    {
        using var stream = OpenRead(name);
        if (stream is null)
        {
            return null;
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public void Dispose() => _zip?.Dispose();
}
