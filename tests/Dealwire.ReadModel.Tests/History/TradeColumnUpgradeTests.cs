using System.Data.Common;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// Issue #15: deals keep <c>margin_rate</c> and <c>last_swap_time</c> in the store, and a store made before those
/// columns existed gets them when it is opened (older rows read 0), without losing a row.
/// </summary>
public sealed class TradeColumnUpgradeTests
{
    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task A_store_without_the_later_columns_gets_them_and_new_deals_fill_them(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        var stream = new EngineStream();
        stream.Tick("EURUSD", 1.10000m, 1.10010m);
        var login = stream.Account(100_000m);
        var first = Deal(stream, login);

        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
            await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
            var stored = (await store.FindTradeAsync(first.Ticket))!;
            Assert.Equal(first.MarginRate, stored.MarginRate);
            Assert.True(stored.MarginRate > 0);
        }

        // Make it a store of the earlier release: the two columns did not exist.
        await using (var c = Connect(db))
        {
            await c.OpenAsync();
            foreach (var table in new[] { "deals", "orders" })
            {
                foreach (var column in new[] { "margin_rate", "last_swap_time" })
                {
                    await using var drop = c.CreateCommand();
                    drop.CommandText = $"ALTER TABLE {table} DROP COLUMN {column}";
                    await drop.ExecuteNonQueryAsync();
                }
            }
        }

        var second = Deal(stream, login);
        await using (var store = db.OpenStore())
        {
            await store.OpenAsync();
            var old = (await store.FindTradeAsync(first.Ticket))!;
            Assert.Equal(0m, old.MarginRate); // not recorded then
            Assert.Equal(first.Profit, old.Profit);
            await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));
            Assert.Equal(second.MarginRate, (await store.FindTradeAsync(second.Ticket))!.MarginRate);
            var deals = await store.GetTradesAsync(new HistoryQuery { Login = login, Kinds = HistoryKinds.Deals, Limit = 10 });
            Assert.Equal(2, deals.Rows.Count);
        }
    }

    private static TradeRecord Deal(EngineStream stream, long login)
    {
        var position = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10));
        stream.Time += 1000;
        return stream.Ok(new ClosePosition(login, position.Ticket));
    }

    private static DbConnection Connect(HistoryDatabase db) => db.Provider == HistoryProvider.Sqlite
        ? new SqliteConnection(db.ConnectionString)
        : new NpgsqlConnection(db.ConnectionString);
}
