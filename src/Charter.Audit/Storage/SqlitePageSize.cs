// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>The page size of a new Charter database file: 16 KiB instead of SQLite's 4 KiB.</summary>
/// <remarks>
/// Under load the database takes, per request, one record row (~450 bytes) and one audit leaf row (~650 bytes), appended
/// in batches. With 4 KiB pages a leaf page fills after about six rows, so inserts split pages often
/// (<c>balance_nonroot</c>), and each batch writes several times more WAL frames, each with its own header and checksum.
/// With 16 KiB pages the same batch is fewer, larger frames: in a Python <c>sqlite3</c> run of batches of 1,000 record
/// rows and 1,000 leaf rows (four alternating rounds), 10.8-11.2 µs against 12.8-15.0 µs per request with 4 KiB pages,
/// the interpreter's own share included (docs/performance.md). SQLite can only set the size on an empty file, before
/// WAL mode writes the header; an existing database keeps its page size (changing it needs a VACUUM out of WAL mode),
/// so the pragma is a no-op there and on every later connection.
/// </remarks>
public static class SqlitePageSize
{
    /// <summary>Bytes per page of a new database.</summary>
    public const int Bytes = 16384;

    /// <summary>The statement setting it; issue it before <c>PRAGMA journal_mode=WAL</c>.</summary>
    public const string Pragma = "PRAGMA page_size=16384;";
}
