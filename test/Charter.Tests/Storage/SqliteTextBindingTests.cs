// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Audit.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Charter.Tests.Storage;

public sealed class SqliteTextBindingTests
{
    public static TheoryData<string> Instants => new()
    {
        "0001-01-01T00:00:00.000+00:00",
        "2026-11-27T20:35:22.644+00:00",
        "2026-11-27T23:59:59.999-05:00", // next day in UTC
        "1999-12-31T23:59:59.001+14:00",
        "9999-12-31T23:59:59.999+00:00",
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void Ts_AnyInstant_EqualsTheInvariantCustomFormat(string instant)
    {
        var value = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

        var text = SqliteGatewayStore.Ts(value);

        Assert.Equal(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), text);
        Assert.Equal(SqliteGatewayStore.TsLength, text.Length);
        Assert.Equal(value, SqliteGatewayStore.ParseTs(text));
        Assert.Equal(text, Charter.Audit.AuditEventSerializer.FormatTime(value)); // audit leaves hash the same text
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("gpt-4o-mini")]
    [InlineData("naïve café — 模型 🚀")]
    [InlineData("")]
    public void Bind_Text_StoresTheSameUtf8AsTheProvider(string value)
    {
        using var connection = Open();

        Assert.Equal(value, RoundTrip(connection, value));
    }

    [Fact]
    public void Bind_LoneSurrogate_IsReplacedLikeTheManagedEncoder()
    {
        using var connection = Open();
        var value = "model\uD800x";

        Assert.Equal("model\uFFFDx", RoundTrip(connection, value));
    }

    [Fact]
    public void Bind_ValuesOfGrowingAndShrinkingLength_EachRowKeepsItsOwnText()
    {
        using var connection = Open();
        string[] values = ["short", new string('é', 700) + "🚀", "x", new string('a', 5000), "모델"];

        using (var insert = new SqliteRawStatement(connection, "INSERT INTO t(v) VALUES (?1)"))
        {
            foreach (var v in values)
            {
                insert.Bind(1, v); // one statement and one transcoding buffer for every row
                insert.Execute();
            }
        }

        Assert.Equal(values, ReadAll(connection));
    }

    [Fact]
    public void Bind_SameInstancesAcrossRowsMixedWithOtherKinds_EveryRowHoldsWhatWasBoundForIt()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t(a, b)";
            create.ExecuteNonQuery();
        }

        var team = "team_1";
        var equalText = new string(team.AsSpan()); // equal text, another instance
        (Action<SqliteRawStatement> Bind, object? A, object? B)[] rows =
        [
            (s => { s.Bind(1, team); s.Bind(2, 200L); }, "team_1", 200L),
            (s => { s.Bind(1, team); s.Bind(2, 200L); }, "team_1", 200L), // both skipped: bound already
            (s => { s.Bind(1, equalText); s.Bind(2, (long?)null); }, "team_1", null),
            (s => { s.Bind(1, (string?)null); s.Bind(2, (long?)null); }, null, null),
            (s => { s.Bind(1, "x".AsSpan()); s.Bind(2, 200L); }, "x", 200L),
            (s => { s.BindUtf8(1, "y"u8); s.Bind(2, 1.5); }, "y", 1.5),
            (s => { s.Bind(1, team); s.Bind(2, 200L); }, "team_1", 200L),
            (s => { s.BindBlob(1, [1, 2]); s.Bind(2, "200"); }, new byte[] { 1, 2 }, "200"),
            (s => { s.Bind(1, team); s.Bind(2, 200L); }, "team_1", 200L),
            (s => { s.BindNull(1); s.Bind(2, 201L); }, null, 201L),
        ];
        using (var insert = new SqliteRawStatement(connection, "INSERT INTO t(a, b) VALUES (?1, ?2)"))
        {
            foreach (var row in rows)
            {
                row.Bind(insert);
                insert.Execute();
            }
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a, b FROM t ORDER BY rowid";
        using var r = read.ExecuteReader();
        foreach (var row in rows)
        {
            Assert.True(r.Read());
            Assert.Equal(row.A, r.IsDBNull(0) ? null : r.GetValue(0));
            Assert.Equal(row.B, r.IsDBNull(1) ? null : r.GetValue(1));
        }

        Assert.False(r.Read());
    }

    [Fact]
    public void BindUtf8_Bytes_StoredAsTheSameText()
    {
        using var connection = Open();
        using (var insert = new SqliteRawStatement(connection, "INSERT INTO t(v) VALUES (?1)"))
        {
            insert.BindUtf8(1, "naïve 🚀"u8);
            insert.Execute();
        }

        Assert.Equal(["naïve 🚀"], ReadAll(connection));
    }

    private static List<string> ReadAll(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT v FROM t ORDER BY rowid";
        using var r = read.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private static SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE t(v TEXT)";
        create.ExecuteNonQuery();
        return connection;
    }

    private static string RoundTrip(SqliteConnection connection, string value)
    {
        using (var insert = new SqliteRawStatement(connection, "INSERT INTO t(v) VALUES (?1)"))
        {
            insert.Bind(1, value);
            insert.Execute();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT v, length(CAST(v AS BLOB)) FROM t";
        using var r = read.ExecuteReader();
        Assert.True(r.Read());
        var text = r.GetString(0);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), r.GetInt64(1)); // stored as UTF-8 bytes, nothing else
        return text;
    }
}
