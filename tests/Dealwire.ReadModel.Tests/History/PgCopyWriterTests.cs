using System.Globalization;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.History.PostgreSql;
using Npgsql;
using NpgsqlTypes;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The projector's own binary COPY encoding, on the real PostgreSQL: every value it writes is stored exactly as
/// Npgsql's importer stores it (compared as PostgreSQL prints them), and an abandoned COPY leaves nothing behind.
/// </summary>
public sealed class PgCopyWriterTests
{
    private static readonly decimal[] Fixed =
    [
        0m, 0.00m, new decimal(0, 0, 0, true, 2), 1m, 1.50m, -1.5m, 0.0001m, 0.00001m, 0.1m, 12345.6789m, -12345.67890m,
        99999999.99999999m, 10000m, 100000000m, 1.10000m, 9999m, 10001m, 0.9999m, 1.00001m, decimal.MaxValue, decimal.MinValue,
        new decimal(1, 0, 0, false, 28), new decimal(1, 0, 0, true, 28), new decimal(-1, -1, -1, false, 28), new decimal(-1, -1, -1, false, 5),
        18446744073709551615m, 18446744073709551616m, 1844674407370955.1616m,
    ];

    [Fact]
    public async Task Every_value_is_stored_as_Npgsql_stores_it()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.PostgreSql);
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync();
        foreach (var table in new[] { "ours", "npgsql" })
        {
            await using var create = new NpgsqlCommand($"CREATE TABLE {table} (id bigint PRIMARY KEY, amount numeric, n integer, s text)", c);
            await create.ExecuteNonQueryAsync();
        }

        var random = new Random(20261206);
        var rows = new List<(long Id, decimal? Amount, int N, string? S)>();
        for (var i = 0; i < Fixed.Length; i++) rows.Add((i, Fixed[i], i - 3, i % 3 == 0 ? null : $"fixed {i}"));
        for (var i = 0; i < 20_000; i++)
        {
            // Every scale, and mantissas of every width up to the full 96 bits.
            var bits = random.Next(1, 97);
            var lo = bits >= 32 ? (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1) : random.Next(0, 1 << Math.Min(bits, 30));
            var mid = bits > 32 ? (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1) : 0;
            var hi = bits > 64 ? (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1) : 0;
            var amount = new decimal(lo, mid, hi, random.Next(2) == 0, (byte)random.Next(0, 29));
            var text = (i % 7) switch
            {
                0 => null,
                1 => "",
                2 => "ünïcödé ✓ " + i.ToString(CultureInfo.InvariantCulture),
                3 => new string('x', 70_000 + i % 5), // longer than the writer's 64 KB buffer
                _ => "row " + i.ToString(CultureInfo.InvariantCulture),
            };
            rows.Add((Fixed.Length + i, i % 11 == 0 ? null : amount, random.Next(), text));
        }

        await using (var tx = await c.BeginTransactionAsync())
        {
            using (var ours = PgCopyWriter.Begin(c, "ours", "id, amount, n, s"))
            {
                foreach (var (id, amount, n, s) in rows)
                {
                    ours.StartRow(4);
                    ours.Long(id);
                    ours.Money(amount);
                    ours.Int(n);
                    ours.Text(s);
                }
                ours.Complete();
            }
            using (var theirs = c.BeginBinaryImport("COPY npgsql (id, amount, n, s) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (id, amount, n, s) in rows)
                {
                    theirs.StartRow();
                    theirs.Write(id, NpgsqlDbType.Bigint);
                    if (amount is { } a) theirs.Write(a, NpgsqlDbType.Numeric);
                    else theirs.WriteNull();
                    theirs.Write(n, NpgsqlDbType.Integer);
                    if (s is null) theirs.WriteNull();
                    else theirs.Write(s, NpgsqlDbType.Text);
                }
                theirs.Complete();
            }
            await tx.CommitAsync();
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM ours", c))
        {
            Assert.Equal((long)rows.Count, (long)(await count.ExecuteScalarAsync())!);
        }
        await using (var differ = new NpgsqlCommand(
            "SELECT o.id, o.amount::text, t.amount::text FROM ours o JOIN npgsql t USING (id) " +
            "WHERE o.amount::text IS DISTINCT FROM t.amount::text OR o.n <> t.n OR o.s IS DISTINCT FROM t.s LIMIT 5", c))
        await using (var reader = await differ.ExecuteReaderAsync())
        {
            var differences = new List<string>();
            while (await reader.ReadAsync()) differences.Add($"{reader.GetInt64(0)}: ours {reader.GetValue(1)} npgsql {reader.GetValue(2)}");
            Assert.Empty(differences);
        }
        // And the exact value comes back.
        await using (var read = new NpgsqlCommand("SELECT id, amount FROM ours WHERE amount IS NOT NULL ORDER BY id", c))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            var byId = rows.ToDictionary(r => r.Id, r => r.Amount);
            while (await reader.ReadAsync()) Assert.Equal(byId[reader.GetInt64(0)], reader.GetDecimal(1));
        }
    }

    [Fact]
    public async Task A_copy_left_without_Complete_writes_nothing_and_the_connection_goes_on()
    {
        await using var db = await HistoryDatabase.CreateAsync(HistoryProvider.PostgreSql);
        await using var c = new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE t (id bigint, amount numeric)", c))
        {
            await create.ExecuteNonQueryAsync();
        }
        using (var w = PgCopyWriter.Begin(c, "t", "id, amount"))
        {
            w.StartRow(2);
            w.Long(1);
            w.Money(1.5m);
            w.StartRow(2);
            w.Long(2); // an exception here, before the amount: the row is half written
        }
        await using var count = new NpgsqlCommand("SELECT count(*) FROM t", c);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
