// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Charter.Audit.Storage;

/// <summary>
/// A statement prepared once and executed many times with parameters bound by position, straight on SQLitePCL.raw.
/// </summary>
/// <remarks>
/// For the row-per-event statements of the journal integration and the audit log: <see cref="SqliteCommand"/> binds
/// every parameter by name (a linear <c>strncmp</c> scan of the statement's parameter list per parameter, quadratic in
/// a multi-row INSERT) and creates a reader per execution, which was most of the integration's CPU at a few thousand
/// rows a second. It runs on the connection's handle, so it takes part in the connection's open transaction.
/// </remarks>
public sealed class SqliteRawStatement : IDisposable
{
    private static readonly object NullValue = new();
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Bound[] _bound;
    private byte[] _utf8 = new byte[256];

    /// <summary>Prepares <paramref name="sql"/> on the open <paramref name="connection"/>.</summary>
    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
        _bound = new Bound[raw.sqlite3_bind_parameter_count(_stmt) + 1];
    }

    /// <summary>Binds text (or NULL) to the 1-based parameter <paramref name="index"/>.</summary>
    /// <remarks>SQLite keeps a statement's bindings from one execution to the next, so a string that is the very
    /// instance bound last time to this parameter (a key id, a team, a provider, a policy version: the same objects for a
    /// run of rows) is not bound again. Strings are immutable, so the same instance is the same text.</remarks>
    public void Bind(int index, string? value)
    {
        object current = value ?? NullValue;
        ref var bound = ref _bound[index];
        if (ReferenceEquals(bound.Text, current))
        {
            return;
        }

        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_stmt, index));
        }
        else
        {
            BindUtf16(index, value.AsSpan());
        }

        bound = new Bound { Text = current };
    }

    /// <summary>Binds text to the 1-based parameter <paramref name="index"/> without a string or an array per value.</summary>
    /// <remarks>The text is transcoded to UTF-8 (the database's encoding) into a buffer the statement reuses, and SQLite
    /// copies it. Binding UTF-16 instead made SQLite convert every value with its own byte-by-byte loop on insert, and the
    /// string overload allocated a UTF-8 array per value. A lone surrogate becomes U+FFFD, as on every other write path.</remarks>
    public void Bind(int index, ReadOnlySpan<char> value)
    {
        BindUtf16(index, value);
        _bound[index] = default;
    }

    private void BindUtf16(int index, ReadOnlySpan<char> value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < max)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var n = Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_stmt, index, _utf8.AsSpan(0, n)));
    }

    /// <summary>Binds UTF-8 text to the 1-based parameter <paramref name="index"/> (SQLite copies it).</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        Check(raw.sqlite3_bind_text(_stmt, index, utf8));
        _bound[index] = default;
    }

    /// <summary>Binds an integer (or NULL); the value bound last time to this parameter is not bound again.</summary>
    public void Bind(int index, long? value)
    {
        ref var bound = ref _bound[index];
        if (value is { } v)
        {
            if (bound.Kind == BoundKind.Integer && bound.Integer == v)
            {
                return;
            }

            Check(raw.sqlite3_bind_int64(_stmt, index, v));
            bound = new Bound { Kind = BoundKind.Integer, Integer = v };
        }
        else
        {
            Bind(index, (string?)null);
        }
    }

    /// <summary>Binds a real (or NULL).</summary>
    public void Bind(int index, double? value)
    {
        if (value is { } v)
        {
            Check(raw.sqlite3_bind_double(_stmt, index, v));
            _bound[index] = default;
        }
        else
        {
            Bind(index, (string?)null);
        }
    }

    /// <summary>Binds a blob (or NULL).</summary>
    public void Bind(int index, byte[]? value)
    {
        if (value is null)
        {
            BindNull(index);
        }
        else
        {
            BindBlob(index, value);
        }
    }

    /// <summary>Binds a blob copied from <paramref name="value"/> (SQLite copies it).</summary>
    public void BindBlob(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_stmt, index, value));
        _bound[index] = default;
    }

    /// <summary>Binds NULL.</summary>
    public void BindNull(int index) => Bind(index, (string?)null);

    /// <summary>Runs the statement to completion and resets it for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            Check(rc);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stmt.Dispose();

    private enum BoundKind : byte
    {
        Other,
        Integer,
    }

    // What a parameter holds since its last bind: a string instance (or NullValue), an integer, or unknown (default).
    private struct Bound
    {
        public object? Text;
        public long Integer;
        public BoundKind Kind;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
