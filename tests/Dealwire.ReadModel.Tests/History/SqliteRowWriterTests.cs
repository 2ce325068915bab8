using System.Text;
using Dealwire.ReadModel.History.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The projector's positional writer binds straight into SQLite (<see cref="NativeBinds"/>): every kind of value it
/// binds reads back as Microsoft.Data.Sqlite wrote it, with SQL NULL and "" kept apart, over many rows of one statement.
/// </summary>
public sealed class SqliteRowWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dw-rowwriter-").FullName;

    [Fact]
    public void Every_bound_value_reads_back_as_written_and_null_stays_apart_from_empty()
    {
        var longText = string.Concat(Enumerable.Repeat("Ünïcødé ✓ 128+ ", 40));
        var rows = new (long Id, long? Number, int? Small, decimal? Money, string? Text, byte[]? Utf8)[]
        {
            (1, long.MaxValue, int.MinValue, 79228162514264337593543950335m, "", []),
            (2, long.MinValue, int.MaxValue, -0.0000000000000000000000000001m, null, null),
            (3, null, null, null, "EURUSD", Encoding.UTF8.GetBytes("{\"$c\":\"trade.open\"}")),
            (4, 0, 0, 0.00m, new string('x', 128), Encoding.UTF8.GetBytes("[\"é\"]")),
            (5, 42, -7, 1.08500m, new string('y', 129), Encoding.UTF8.GetBytes(longText)),
            (6, -1, 1, -100.10m, longText, []),
        };

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "rows.db")}");
        connection.Open();
        Execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, number INTEGER, small INTEGER, money TEXT, text TEXT, utf8 TEXT)");
        using (var transaction = connection.BeginTransaction())
        using (var writer = new SqliteRowWriter(connection, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)"))
        {
            foreach (var r in rows)
            {
                writer.Long(1, r.Id);
                writer.Long(2, r.Number);
                writer.Int(3, r.Small);
                writer.Money(4, r.Money);
                writer.Text(5, r.Text);
                writer.Utf8(6, r.Utf8);
                writer.Insert();
            }
            transaction.Commit();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT id, number, small, money, text, utf8, typeof(text), typeof(utf8), typeof(money) FROM t ORDER BY id";
        using var reader = read.ExecuteReader();
        foreach (var r in rows)
        {
            Assert.True(reader.Read());
            Assert.Equal(r.Id, reader.GetInt64(0));
            Assert.Equal(r.Number, reader.IsDBNull(1) ? null : reader.GetInt64(1));
            Assert.Equal(r.Small, reader.IsDBNull(2) ? null : reader.GetInt32(2));
            Assert.Equal(r.Money, reader.IsDBNull(3) ? null : reader.GetDecimal(3));
            Assert.Equal(r.Money is null ? "null" : "text", reader.GetString(8));
            Assert.Equal(r.Text is null ? "null" : "text", reader.GetString(6));
            Assert.Equal(r.Text, reader.IsDBNull(4) ? null : reader.GetString(4));
            Assert.Equal(r.Utf8 is null ? "null" : "text", reader.GetString(7));
            Assert.Equal(r.Utf8 is null ? null : Encoding.UTF8.GetString(r.Utf8), reader.IsDBNull(5) ? null : reader.GetString(5));
        }
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_refused_row_names_the_database_error_and_the_statement_goes_on()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "refused.db")}");
        connection.Open();
        Execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        using var writer = new SqliteRowWriter(connection, "INSERT INTO t VALUES (?1, ?2)");
        writer.Long(1, 1);
        writer.Text(2, "first");
        writer.Insert();

        writer.Long(1, 1);
        writer.Text(2, "again");
        var duplicate = Assert.Throws<SqliteException>(writer.Insert);
        Assert.Contains("UNIQUE", duplicate.Message, StringComparison.Ordinal);

        writer.Long(1, 2);
        writer.Text(2, null);
        Assert.Contains("NOT NULL", Assert.Throws<SqliteException>(writer.Insert).Message, StringComparison.Ordinal);

        writer.Long(1, 2);
        writer.Text(2, "second");
        writer.Insert();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY id)";
        Assert.Equal("first,second", count.ExecuteScalar());
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
