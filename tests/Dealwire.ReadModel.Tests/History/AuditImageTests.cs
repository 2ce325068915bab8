using System.Text;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>The audit log's "after" image and payload: each command's own records, written without default members.</summary>
public sealed class AuditImageTests
{
    [Fact]
    public void Every_command_of_one_batch_gets_the_records_of_its_own_events()
    {
        var stream = new EngineStream();
        var login = stream.Account(10_000m);
        stream.Cut();
        stream.Tick("EURUSD", 1.10000m, 1.10020m);
        var opened = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var trade = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10 * (i + 1)) { Actor = "manager:7" });
            opened.Add(trade.Ticket);
            stream.Ok(new PostLedger(login, LedgerKind.Deposit, i + 1) { Actor = "manager:7", Comment = $"deposit {i}" });
        }
        stream.Ok(new ClosePosition(login, opened[2]) { Actor = "admin:1" });

        var changes = HistoryChanges.From([stream.Cut()!]);

        var audit = changes.Audit;
        Assert.Equal(11, audit.Count);
        for (var i = 0; i < 5; i++)
        {
            // The position (the only record with a symbol), and nothing of another command.
            var open = Records(audit[2 * i].After);
            var trade = Assert.Single(open, r => r.TryGetProperty("Symbol", out _));
            Assert.Equal(opened[i], trade.GetProperty("Ticket").GetInt64());
            Assert.Equal(10 * (i + 1), trade.GetProperty("Volume").GetInt32());
            Assert.DoesNotContain(open, r => r.TryGetProperty("Comment", out _));
            // The deposit's ledger entry and its finance record, both with this deposit's comment.
            var deposit = Records(audit[2 * i + 1].After);
            Assert.NotEmpty(deposit);
            Assert.All(deposit, r => Assert.Equal($"deposit {i}", r.GetProperty("Comment").GetString()));
        }
        // The close carries the closed deal and the profit entry its event booked, nothing of the others.
        var close = Records(audit[10].After);
        Assert.Contains(close, r => r.TryGetProperty("Ticket", out var t) && t.GetInt64() == opened[2] && r.TryGetProperty("ClosePrice", out _));
        Assert.DoesNotContain(close, r => r.TryGetProperty("Ticket", out var t) && t.GetInt64() != opened[2]);
    }

    [Fact]
    public void The_image_leaves_out_default_members_but_keeps_enumerations()
    {
        var stream = new EngineStream();
        var login = stream.Account(10_000m);
        stream.Tick("EURUSD", 1.10000m, 1.10020m);
        stream.Cut();
        stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { Actor = "manager:7" });

        var row = Assert.Single(HistoryChanges.From([stream.Cut()!]).Audit);
        var trade = Assert.Single(Records(row.After), r => r.TryGetProperty("Symbol", out _));
        Assert.Equal(0, trade.GetProperty("Command").GetInt32()); // Buy is 0: still written
        Assert.Equal(1.10020m, trade.GetProperty("OpenPrice").GetDecimal());
        Assert.False(trade.TryGetProperty("StopLoss", out _)); // 0
        Assert.False(trade.TryGetProperty("Comment", out _)); // ""
        Assert.False(trade.TryGetProperty("ActivatedFrom", out _)); // null
        var payload = Encoding.UTF8.GetString(row.Payload);
        Assert.DoesNotContain("\"IdempotencyKey\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"$c\":\"trade.open\"", payload, StringComparison.Ordinal);
        // The payload still reads back as the command (absent members take their defaults).
        var command = Assert.IsType<OpenPosition>(JsonSerializer.Deserialize<EngineCommand>(row.Payload, AuditPolicy.Json));
        Assert.Equal((login, "EURUSD", TradeCommand.Buy, 10), (command.Login, command.Symbol, command.Side, command.Volume));
    }

    [Fact]
    public void Events_out_of_sequence_order_still_reach_their_command()
    {
        var stream = new EngineStream();
        var login = stream.Account(10_000m);
        stream.Cut();
        stream.Ok(new PostLedger(login, LedgerKind.Deposit, 1m) { Actor = "manager:7", Comment = "first" });
        stream.Ok(new PostLedger(login, LedgerKind.Deposit, 2m) { Actor = "manager:7", Comment = "second" });
        var batch = stream.Cut()!;
        var reversed = new CommittedBatch(batch.FirstSequence, batch.LastSequence, batch.Commands, batch.Events.Reverse().ToArray());

        var audit = HistoryChanges.From([reversed]).Audit;

        Assert.All(Records(audit[0].After), r => Assert.Equal("first", r.GetProperty("Comment").GetString()));
        Assert.All(Records(audit[1].After), r => Assert.Equal("second", r.GetProperty("Comment").GetString()));
    }

    [Fact]
    public void The_images_are_the_bytes_the_serializer_writes_for_the_command_and_the_list_of_its_records()
    {
        var stream = new EngineStream();
        var login = stream.Account(10_000m);
        stream.Tick("EURUSD", 1.10000m, 1.10020m);
        stream.Cut();
        var trade = stream.Ok(new OpenPosition(login, "EURUSD", TradeCommand.Buy, 10) { Actor = "manager:7", Comment = "é \"quoted\" <tag>" });
        stream.Ok(new PostLedger(login, LedgerKind.Deposit, 12.5m) { Actor = "manager:7", Comment = "deposit ✓" });
        stream.Ok(new ClosePosition(login, trade.Ticket) { Actor = "admin:1" });
        var batch = stream.Cut()!;

        var audit = HistoryChanges.From([batch]).Audit;

        Assert.Equal(3, audit.Count);
        foreach (var (row, command) in audit.Zip(batch.Commands))
        {
            // What the audit log held when each image was a string of JsonSerializer.Serialize: the bytes are the same.
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(command, AuditPolicy.Json), row.Payload);
            var records = batch.Events.Where(e => e.Sequence == command.Sequence).Select(e => e switch
            {
                TradeEvent t => (object?)t.Trade,
                BalanceEvent b => b.Entry,
                AccountEvent a => a.Account.Profile,
                _ => null,
            }).OfType<object>().ToList();
            Assert.NotEmpty(records);
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(records, AuditPolicy.Json), row.After);
        }
    }

    private static List<JsonElement> Records(byte[]? after)
    {
        Assert.NotNull(after);
        return JsonDocument.Parse(after).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public void A_trade_image_written_by_hand_is_the_serializer_own_bytes()
    {
        var full = EveryMemberSet<TradeRecord>();
        var open = full with { Command = TradeCommand.Buy, State = TradeState.OpenNormal };
        var pending = full with { Command = TradeCommand.BuyLimit, State = TradeState.OpenNormal };
        var origin = full with { ActivatedFrom = new PendingOrigin(TradeCommand.Buy, 0, 0m), Profit = 0.00m, Commission = 0m, Swap = 0m };
        foreach (var record in new[] { full, open, pending, origin, new TradeRecord(), new TradeRecord { OpenRate = 0, CloseRate = 0 } })
        {
            Assert.Equal(Serialized(record), ByHand(w => AuditRecordImage.Write(w, record)));
        }
    }

    [Fact]
    public void A_ledger_image_written_by_hand_is_the_serializer_own_bytes()
    {
        var full = EveryMemberSet<LedgerEntry>();
        var reversal = full with { Amount = -12.50m, BalanceAfter = 0.00m, IdempotencyKey = null, Reference = "" };
        foreach (var entry in new[] { full, reversal, new LedgerEntry(), new LedgerEntry { Kind = LedgerKind.CreditIn } })
        {
            Assert.Equal(Serialized(entry), ByHand(w => AuditRecordImage.Write(w, entry)));
        }
    }

    [Fact]
    public void The_payloads_written_by_hand_are_the_serializer_own_bytes()
    {
        EngineCommand[] commands =
        [
            EveryMemberSet(new OpenPosition(0, "", TradeCommand.Buy, 0)),
            new OpenPosition(1000, "EURUSD", TradeCommand.Buy, 10),
            EveryMemberSet(new ClosePosition(0, 0)),
            new ClosePosition(1000, 7) { Actor = "" },
            EveryMemberSet(new PostLedger(0, LedgerKind.Deposit, 0m)),
            new PostLedger(1000, LedgerKind.Deposit, 0.00m) { Comment = "", Reference = "" },
        ];
        foreach (var command in commands)
        {
            Assert.Equal(Serialized(command), ByHand(w => Assert.True(AuditCommandImage.TryWrite(w, command))));
        }
        // Any other command goes through the serializer.
        using var unused = new Utf8JsonWriter(System.IO.Stream.Null);
        Assert.False(AuditCommandImage.TryWrite(unused, new CloseBy(1000, 7, 8)));
    }

    /// <summary>Every settable member given a value of its own (strings that need escaping among them).</summary>
    private static T EveryMemberSet<T>() where T : notnull, new() => EveryMemberSet(new T());

    /// <summary>Every settable member of <paramref name="full"/> (its base type's too) given a value of its own.</summary>
    private static T EveryMemberSet<T>(T full) where T : notnull
    {
        var n = 0;
        foreach (var property in full.GetType().GetProperties().Where(p => p.CanWrite))
        {
            n++;
            object value = property.PropertyType switch
            {
                var t when t == typeof(long) => 1_000_000_000_000L + n,
                var t when t == typeof(int) => n,
                var t when t == typeof(decimal) => n + 0.12340m,
                var t when t == typeof(bool) => true,
                var t when t == typeof(string) => $"v{n} \"q\" <é> ' \n",
                var t when t.IsEnum => Enum.ToObject(t, 2),
                var t when t == typeof(PendingOrigin) => new PendingOrigin(TradeCommand.SellStop, 1_767_225_600_000, 1.23450m),
                var t => throw new InvalidOperationException($"{property.Name}: a member of type {t} needs a case here and in the image written by hand"),
            };
            property.SetValue(full, value);
        }
        return full;
    }

    private static string Serialized<T>(T record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, AuditPolicy.WriterOptions)) JsonSerializer.Serialize(w, record, AuditPolicy.Json);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ByHand(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, AuditPolicy.WriterOptions)) write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
