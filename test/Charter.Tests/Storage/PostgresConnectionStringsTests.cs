// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Audit.Storage;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Npgsql;

namespace Charter.Tests.Storage;

public sealed class PostgresConnectionStringsTests
{
    [Theory]
    [InlineData("postgres://u@h/db", true)]
    [InlineData("postgresql://u@h/db", true)]
    [InlineData("Host=127.0.0.1;Database=x", true)]
    [InlineData("host=127.0.0.1;database=x", true)]
    [InlineData("charter.db", false)]
    [InlineData("/var/lib/charter/charter.db", false)]
    public void IsPostgres_RecognisesUrlsAndConnectionStrings(string database, bool expected)
    {
        Assert.Equal(expected, PostgresConnectionStrings.IsPostgres(database));
        Assert.Equal(expected, StoreFactory.IsPostgres(database));
    }

    [Fact]
    public void ToNpgsql_FullUrl_MapsEveryPart()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql("postgres://ch%40rter:p%3Ass@db.example:6543/charter_prod?sslmode=require&application_name=gw"));

        Assert.Equal(("db.example", 6543, "ch@rter", "p:ss", "charter_prod"), (b.Host, b.Port, b.Username, b.Password, b.Database));
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.Equal("gw", b.ApplicationName);
    }

    [Fact]
    public void ToNpgsql_NoPortNoPassword_DefaultsPort5432()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql("postgresql://postgres@127.0.0.1/charter"));

        Assert.Equal(("127.0.0.1", 5432, "postgres", (string?)null, "charter"), (b.Host, b.Port, b.Username, b.Password, b.Database));
    }

    [Fact]
    public void ToNpgsql_ConnectionString_ReturnedUnchanged()
    {
        const string cs = "Host=127.0.0.1;Port=55432;Username=postgres;Database=charter_test";

        Assert.Equal(cs, PostgresConnectionStrings.ToNpgsql(cs));
    }

    [Fact]
    public void ToNpgsql_UnknownParameter_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PostgresConnectionStrings.ToNpgsql("postgres://u@h/db?bogus_option=1"));
    }

    [Fact]
    public void StoreFactory_SqlitePath_CreatesSqliteStore()
    {
        Assert.IsType<SqliteGatewayStore>(StoreFactory.Create(Path.Combine(Path.GetTempPath(), "never-opened.db"), retainContent: false));
    }
}
