using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Persistence.IO;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

/// <summary>The journal payload codecs: binary for hot commands, tagged JSON for the rest, JSON segments still readable.</summary>
public class CodecTests
{
    public static TheoryData<EngineCommand> HotCommands() => new()
    {
        Commands.Stamp(new ApplyTick("EURUSD", 1.10002m, 1.10004m, 1_763_287_200_042) { Actor = "feed" }, 7),
        Commands.Stamp(new ApplyTick("XAUUSD", 2650.10m, 2650.40m, 3), 1), // quote time far before engine time; trailing zero kept
        Commands.Stamp(new ApplyTick("BTC-USD.é", 0m, -0.000000001m, long.MaxValue), long.MaxValue),
        Commands.Stamp(new PostLedger(1000, LedgerKind.Deposit, 12.50m) { Comment = "wire 42", IdempotencyKey = "dep-1", Actor = "manager:7" }, 42),
        Commands.Stamp(new PostLedger(long.MaxValue, LedgerKind.Withdrawal, -79_228_162_514_264_337_593_543_950_335m) { Force = true }, 2),
        Commands.Stamp(new PostLedger(-1, (LedgerKind)999, decimal.MinValue) { Comment = "", IdempotencyKey = null }, 3),
        Commands.Stamp(new OpenPosition(1001, "EURUSD", TradeCommand.Sell, 250) { StopLoss = 1.2m, TakeProfit = 0.9m, Price = 1.10001m, OpenTime = 1_700_000_000_000, Comment = "ea ✓", Magic = -5, Reason = TradeReason.Dealer, Force = true, ApiData = "mgr:{\"k\":1}" }, 9),
        Commands.Stamp(new OpenPosition(1001, "EURUSD", TradeCommand.Buy, 1), 10),
        Commands.Stamp(new ClosePosition(1002, 123_456_789) { Volume = 50, Price = 1.2345m, CloseTime = 5, Comment = "partial", Force = true, Actor = "user:1002" }, 11),
        Commands.Stamp(new ClosePosition(1002, 1), 12),
        // The fields of the second layouts (tags 5-7): references and idempotency keys of deposits, opens and closes.
        Commands.Stamp(new PostLedger(1000, LedgerKind.Deposit, 5m) { IdempotencyKey = "psp-9", Reference = "bank-tx-77", Actor = "manager:2" }, 13),
        Commands.Stamp(new OpenPosition(1001, "EURUSD", TradeCommand.Buy, 100) { IdempotencyKey = "place_order:9b2f", Actor = "manager:2" }, 14),
        Commands.Stamp(new ClosePosition(1001, 14) { IdempotencyKey = "close-14", Actor = "manager:2" }, 15),
    };

    [Theory]
    [MemberData(nameof(HotCommands))]
    public void Hot_commands_round_trip_exactly_in_binary(EngineCommand command)
    {
        var payload = Encode(command);
        Assert.NotEqual(BinaryCommandCodec.JsonTag, payload[0]);
        var decoded = CommandCodec.Read(CommandCodec.Tagged, command.Sequence, payload);
        Assert.Equal(command, decoded); // record equality: every property, Sequence and Time included
        Assert.Equal(CommandCodec.ReadJson(Json(command)), decoded); // and the same as the JSON codec gives
        if (command is ApplyTick tick) Assert.Equal(tick.Bid.ToString(), ((ApplyTick)decoded).Bid.ToString()); // scale kept
    }

    [Fact]
    public void Every_hot_command_is_encoded_in_binary()
    {
        // Fails when the engine adds a property to one of these commands: the codec then falls back to JSON for
        // it (nothing is lost), and its binary layout should be extended under a new tag.
        Assert.Equal(
            new[] { typeof(ApplyTick), typeof(ClosePosition), typeof(OpenPosition), typeof(PostLedger) },
            BinaryCommandCodec.BinaryTypes.OrderBy(t => t.Name));
    }

    /// <summary>
    /// Records written by builds before idempotency keys (tags 2, 3, 4: no reference, no key on opens and closes)
    /// still decode, with the new fields absent. The bytes are written here field by field as those builds did.
    /// </summary>
    [Fact]
    public void Ledger_open_and_close_records_of_the_first_binary_layouts_still_decode()
    {
        var deposit = new RecordBuffer(16);
        V1Common(deposit, 2, 1_700_000_000_000, "manager:7");
        PayloadWriter.VarInt(deposit, 1000);
        PayloadWriter.VarInt(deposit, (int)LedgerKind.Deposit);
        PayloadWriter.Decimal(deposit, 12.50m);
        PayloadWriter.String(deposit, "wire 42");
        PayloadWriter.String(deposit, "mgrapi:dep-1");
        PayloadWriter.Byte(deposit, 0);
        var ledger = Assert.IsType<PostLedger>(CommandCodec.Read(CommandCodec.Tagged, 42, deposit.Written));
        Assert.Equal((42, 1_700_000_000_000), (ledger.Sequence, ledger.Time));
        Assert.Equal(new PostLedger(1000, LedgerKind.Deposit, 12.50m) { Comment = "wire 42", IdempotencyKey = "mgrapi:dep-1", Actor = "manager:7" }, Unstamped(ledger));
        Assert.Null(ledger.Reference);

        var open = new RecordBuffer(16);
        V1Common(open, 3, 1_700_000_000_001, "user:1001");
        PayloadWriter.VarInt(open, 1001);
        PayloadWriter.String(open, "EURUSD");
        PayloadWriter.VarInt(open, (int)TradeCommand.Sell);
        PayloadWriter.VarInt(open, 250);
        PayloadWriter.Decimal(open, 1.2m);
        PayloadWriter.Decimal(open, 0.9m);
        PayloadWriter.Decimal(open, 0m);
        PayloadWriter.VarInt(open, 0);
        PayloadWriter.String(open, "ea");
        PayloadWriter.VarInt(open, 5);
        PayloadWriter.VarInt(open, (int)TradeReason.Dealer);
        PayloadWriter.Byte(open, 1);
        PayloadWriter.String(open, "");
        var opened = Assert.IsType<OpenPosition>(CommandCodec.Read(CommandCodec.Tagged, 43, open.Written));
        Assert.Equal(new OpenPosition(1001, "EURUSD", TradeCommand.Sell, 250) { StopLoss = 1.2m, TakeProfit = 0.9m, Comment = "ea", Magic = 5, Reason = TradeReason.Dealer, Force = true, Actor = "user:1001" }
, Unstamped(opened));
        Assert.Null(opened.IdempotencyKey);

        var close = new RecordBuffer(16);
        V1Common(close, 4, 1_700_000_000_002, "user:1001");
        PayloadWriter.VarInt(close, 1001);
        PayloadWriter.VarInt(close, 43);
        PayloadWriter.VarInt(close, 50);
        PayloadWriter.Decimal(close, 0m);
        PayloadWriter.VarInt(close, 0);
        PayloadWriter.String(close, "partial");
        PayloadWriter.Byte(close, 0);
        var closed = Assert.IsType<ClosePosition>(CommandCodec.Read(CommandCodec.Tagged, 44, close.Written));
        Assert.Equal(new ClosePosition(1001, 43) { Volume = 50, Comment = "partial", Actor = "user:1001" }, Unstamped(closed));
        Assert.Null(closed.IdempotencyKey);
    }

    private static void V1Common(RecordBuffer output, byte tag, long time, string actor)
    {
        PayloadWriter.Byte(output, tag);
        PayloadWriter.VarInt(output, time);
        PayloadWriter.String(output, actor);
    }

    private static EngineCommand Unstamped(EngineCommand command)
    {
        command.Stamp(0, 0);
        return command;
    }

    public static TheoryData<EngineCommand> PatchCommands() => new()
    {
        Commands.Stamp(new PatchAccount(1001, new AccountPatch { City = "Zürich", Leverage = 50 }) { Actor = "manager:7" }, 20),
        Commands.Stamp(new PatchSymbol("EURUSD", new SymbolPatch { Spread = 12, MarginHedged = 0m }), 21),
        Commands.Stamp(new PatchSymbolGroup(3, new SymbolGroupPatch { Name = "Energy", TradeAllowed = false }), 22),
        Commands.Stamp(new PatchGroup("vip", new GroupPatch
        {
            CurrencyDigits = 3, NegativeBalancePolicy = NegativeBalancePolicy.CompensateToZero,
            Securities = [new GroupSecurityPatch { SecurityIndex = 0, SpreadDiff = 4 }],
            SymbolOverrides = [new GroupSymbolOverridePatch { Symbol = "EURUSD", BidMarkup = 5, ClearFixedSpread = true }],
        }) { CreateIfMissing = true }, 23),
    };

    [Theory]
    [MemberData(nameof(PatchCommands))]
    public void Patch_commands_round_trip_as_tagged_json_with_absent_fields_kept_absent(EngineCommand command)
    {
        var payload = Encode(command);
        Assert.Equal(BinaryCommandCodec.JsonTag, payload[0]);
        var decoded = CommandCodec.Read(CommandCodec.Tagged, command.Sequence, payload);
        Assert.Equal(command.GetType(), decoded.GetType());
        Assert.Equal(Json(command), Json(decoded)); // every field, nulls (= keep) included
    }

    [Fact]
    public void Other_commands_travel_as_tagged_json()
    {
        var command = new CreateAccount(new AccountProfile { Group = "demo", Name = "Zoë" }) { InitialDeposit = 10m };
        Commands.Stamp(command, 5);
        var payload = Encode(command);
        Assert.Equal(BinaryCommandCodec.JsonTag, payload[0]);
        var decoded = Assert.IsType<CreateAccount>(CommandCodec.Read(CommandCodec.Tagged, 5, payload));
        Assert.Equal(command.Profile.Name, decoded.Profile.Name);
        Assert.Equal(10m, decoded.InitialDeposit);
        Assert.Equal(5, decoded.Sequence);
    }

    [Fact]
    public void A_tick_record_takes_under_a_third_of_its_json_size()
    {
        var tick = Commands.Stamp(new ApplyTick("EURUSD", 1.10002m, 1.10004m, 1_763_287_200_040) { Actor = "feed" }, 1_000_000);
        tick.Stamp(1_000_000, 1_763_287_200_042);
        var binary = Encode(tick).Length;
        var json = Json(tick).Length;
        Assert.True(binary <= 30, $"tick payload {binary} bytes");
        Assert.True(binary * 3 < json, $"binary {binary} vs JSON {json}");
    }

    [Theory]
    [InlineData(new byte[] { 9, 0, 1, 0 }, "tag 9")]
    [InlineData(new byte[] { 2, 2 }, "ends early")]
    [InlineData(new byte[] { 1, 2, 1, 2, 0x41, 0, 0, 0, 0, 0, 0 }, "after the command")]
    [InlineData(new byte[] { 1, 2, 1, 2, 0x41, 0x3F, 1, 0, 0 }, "scale")]
    [InlineData(new byte[] { 0, (byte)'{' }, "")]
    public void A_malformed_binary_payload_is_a_format_error(byte[] payload, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CommandCodec.Read(CommandCodec.Tagged, 1, payload));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_binary_record_with_a_valid_checksum_that_cannot_be_decoded_stops_the_start()
    {
        using var dir = new TempDir();
        var path = Journals.WriteSingleRecord(dir.Journal, CommandCodec.Tagged, [2, 2]); // a deposit that ends after its time

        var error = Assert.Throws<DataCorruptionException>(() => Recovery.DurableStore.Open(dir.Path, DurableStoreTests.Quiet(), NullLogger.Instance));
        Assert.Equal(path, error.File);
        Assert.Equal(JournalFormat.HeaderSize, error.Offset);
        Assert.Contains("cannot be decoded", error.Message);
    }

    [Fact]
    public async Task A_json_segment_of_an_older_build_is_replayed_continued_in_json_and_followed_by_binary_segments()
    {
        using var dir = new TempDir();
        var live = await DurableStoreTests.RunSessionAsync(dir.Path, 200, seed: 5);
        var first = JournalReader.ListSegments(dir.Journal).Single();
        RewriteAsJson(first.Path);

        var options = DurableStoreTests.Quiet(segmentSize: 4096);
        var (store, runner) = DurableStoreTests.Start(dir.Path, options);
        Assert.Equal(live.Hash, store.Report.StateHash);
        await DurableStoreTests.StopAsync(store, runner);
        var after = await DurableStoreTests.RunSessionAsync(dir.Path, 160, seed: 6, options, setup: false);

        var segments = JournalReader.ListSegments(dir.Journal);
        Assert.True(segments.Count >= 2);
        Assert.Equal(CommandCodec.Json, CodecOf(segments[0].Path)); // appended to in its own codec
        Assert.All(segments.Skip(1), s => Assert.Equal(CommandCodec.Tagged, CodecOf(s.Path)));
        var verify = DataTools.Verify(dir.Path);
        Assert.True(verify.Healthy, string.Join("; ", verify.Problems));
        Assert.Equal(after.Hash, verify.StateHash);
    }

    private static byte[] Encode(EngineCommand command)
    {
        var buffer = new RecordBuffer(16);
        CommandCodec.Write(CommandCodec.Tagged, command, buffer);
        return buffer.Written.ToArray();
    }

    private static byte[] Json(EngineCommand command)
    {
        var buffer = new RecordBuffer(16);
        CommandCodec.Write(CommandCodec.Json, command, buffer);
        return buffer.Written.ToArray();
    }

    private static ushort CodecOf(string segment) => JournalFormat.ReadHeader(File.ReadAllBytes(segment), out _)!.Value.Codec;

    /// <summary>Rewrites a segment as the first build wrote it: codec 1, every payload plain JSON.</summary>
    private static void RewriteAsJson(string segment)
    {
        var records = new List<EngineCommand>();
        JournalReader.Read(Path.GetDirectoryName(segment)!, 0, (seq, codec, payload, _, _) => records.Add(CommandCodec.Read(codec, seq, payload)), checkCoveredSegments: true);
        var buffer = new RecordBuffer();
        JournalFormat.WriteHeader(buffer.GetSpan(JournalFormat.HeaderSize), records[0].Sequence, CommandCodec.Json);
        buffer.Advance(JournalFormat.HeaderSize);
        foreach (var command in records)
        {
            var start = buffer.Length;
            buffer.Advance(JournalFormat.RecordHeaderSize);
            CommandCodec.Write(CommandCodec.Json, command, buffer);
            JournalFormat.CompleteRecord(buffer.Slice(start, buffer.Length - start), command.Sequence);
        }
        File.WriteAllBytes(segment, buffer.Written.ToArray());
    }
}
