// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Compression;
using System.Security.Cryptography;

namespace Charter.Audit.Export;

/// <summary>Writes bundle files into a directory or a .zip, recording each file's SHA-256 for the manifest.</summary>
internal sealed class BundleWriter : IDisposable
{
    private readonly string? _directory;
    private readonly ZipArchive? _zip;
    private readonly SortedDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    public BundleWriter(string path)
    {
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (parent is not null)
            {
                Directory.CreateDirectory(parent);
            }

            _zip = ZipFile.Open(path, ZipArchiveMode.Create);
        }
        else
        {
            Directory.CreateDirectory(path);
            _directory = path;
        }
    }

    public SortedDictionary<string, string> Hashes => _hashes;

    public async Task WriteAsync(string name, Func<Stream, Task> write, bool hashed = true)
    {
        Stream target;
        if (_zip is not null)
        {
            target = _zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        }
        else
        {
            var full = Path.Combine(_directory!, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            target = File.Create(full);
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (target.ConfigureAwait(false))
        {
            await using var hashing = new HashingStream(target, sha);
            await write(hashing).ConfigureAwait(false);
            await hashing.FlushAsync().ConfigureAwait(false);
        }

        if (hashed)
        {
            _hashes[name] = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
    }

    public Task WriteAsync(string name, byte[] content, bool hashed = true) =>
        WriteAsync(name, s => s.WriteAsync(content).AsTask(), hashed);

    public void Dispose() => _zip?.Dispose();

    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
