using Dealwire.Feeds;
using Dealwire.Feeds.Fix;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Host.Tests.Feeds.Fix;

/// <summary>The session layer against a hand-driven counterparty: logon, sequence gaps, resends, resets, test requests, logout.</summary>
public sealed class FixSessionTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dealwire-fix-").FullName;
    private readonly ScriptedCounterparty _peer = new();
    private readonly List<RawTick> _ticks = [];
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private FixSequenceStore? _store;

    private static readonly FixSourceOptions Options = new()
    {
        Port = 1, SenderCompId = "DW", TargetCompId = "LP", HeartbeatSeconds = 1,
        Symbols = new() { ["EUR/USD"] = "EURUSD" },
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _store?.Dispose();
        await _peer.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (FixSession Session, Task<string> Run) Start(Stream stream, FixSourceOptions? options = null)
    {
        _store ??= new FixSequenceStore(Path.Combine(_dir, "lp.seqnums"));
        var session = new FixSession("lp", options ?? Options, _store, new MarketDataBook(Options.Symbols), t => { lock (_ticks) _ticks.Add(t); },
            TimeProvider.System, NullLogger.Instance);
        return (session, session.RunAsync(stream, _stop.Token));
    }

    private static FixMessage Logon() => new FixMessage(FixMsgTypes.Logon).Add(FixTags.EncryptMethod, 0).Add(FixTags.HeartBtInt, 1);

    private static FixMessage Snapshot(string bid, string ask) => new FixMessage("W").Add(FixTags.Symbol, "EUR/USD").Add(FixTags.NoMdEntries, 2)
        .Add(FixTags.MdEntryType, "0").Add(FixTags.MdEntryPx, bid).Add(FixTags.MdEntryType, "1").Add(FixTags.MdEntryPx, ask);

    private async Task<FixSession> LogOnAsync()
    {
        var (session, _) = Start(await _peer.ConnectAsync());
        var logon = await _peer.ReceiveAsync(FixMsgTypes.Logon);
        Assert.Equal(1, logon.SeqNum);
        Assert.Equal("1", logon.Get(FixTags.HeartBtInt));
        await _peer.SendAsync(Logon(), 1);
        await _peer.ReceiveAsync(FixMsgTypes.MarketDataRequest);
        return session;
    }

    private async Task WaitForTicksAsync(int count)
    {
        for (var i = 0; i < 200; i++)
        {
            lock (_ticks) if (_ticks.Count >= count) return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"{count} ticks did not arrive");
    }

    [Fact]
    public async Task Logon_is_answered_with_a_market_data_request_and_a_snapshot_becomes_a_tick()
    {
        var session = await LogOnAsync();
        Assert.True(session.LoggedOn);
        await _peer.SendAsync(Snapshot("1.10001", "1.10011"), 2);
        await WaitForTicksAsync(1);
        Assert.Equal(("EURUSD", 1.10001m, 1.10011m), (_ticks[0].Symbol, _ticks[0].Bid, _ticks[0].Ask));
        Assert.Equal(3, _store!.NextIncoming);
    }

    [Fact]
    public async Task A_gap_brings_one_resend_request_and_the_gap_fill_restores_the_order()
    {
        var session = await LogOnAsync();
        // 2 and 3 are lost: 4 and 5 arrive. One ResendRequest from 2 to infinity (0); 4 and 5 are not applied yet.
        await _peer.SendAsync(Snapshot("1.2", "1.2001"), 4);
        await _peer.SendAsync(Snapshot("1.3", "1.3001"), 5);
        var resend = await _peer.ReceiveAsync(FixMsgTypes.ResendRequest);
        Assert.Equal(("2", "0"), (resend.Get(FixTags.BeginSeqNo), resend.Get(FixTags.EndSeqNo)));
        // The answer: a gap fill over 2-3, then 4 and 5 resent as possible duplicates.
        await _peer.SendAsync(new FixMessage(FixMsgTypes.SequenceReset).Add(FixTags.GapFillFlag, "Y").Add(FixTags.NewSeqNo, 4), 2, possDup: true);
        await _peer.SendAsync(Snapshot("1.2", "1.2001"), 4, possDup: true);
        await _peer.SendAsync(Snapshot("1.3", "1.3001"), 5, possDup: true);
        await _peer.SendAsync(new FixMessage(FixMsgTypes.TestRequest).Add(FixTags.TestReqId, "sentinel"), 6);
        Assert.Equal("sentinel", (await _peer.ReceiveAsync(FixMsgTypes.Heartbeat)).Get(FixTags.TestReqId));
        Assert.Equal([1.2m, 1.3m], _ticks.Select(t => t.Bid));
        Assert.Equal((1, 1), (session.Counters.ResendRequestsSent, session.Counters.GapFillsReceived));
        Assert.Equal(7, _store!.NextIncoming);
    }

    [Fact]
    public async Task A_resend_request_from_the_counterparty_is_answered_with_a_gap_fill_to_our_next_number()
    {
        await LogOnAsync(); // we sent Logon (1) and the request (2)
        await _peer.SendAsync(new FixMessage(FixMsgTypes.ResendRequest).Add(FixTags.BeginSeqNo, 1).Add(FixTags.EndSeqNo, 0), 2);
        var fill = await _peer.ReceiveAsync(FixMsgTypes.SequenceReset);
        Assert.Equal((1L, "Y", "Y", "3"), (fill.SeqNum, fill.Get(FixTags.GapFillFlag), fill.Get(FixTags.PossDupFlag), fill.Get(FixTags.NewSeqNo)));
    }

    [Fact]
    public async Task A_sequence_number_below_the_expected_one_without_poss_dup_ends_the_session_with_a_logout()
    {
        var (_, run) = Start(await _peer.ConnectAsync());
        await _peer.ReceiveAsync(FixMsgTypes.Logon);
        await _peer.SendAsync(Logon(), 1);
        await _peer.ReceiveAsync(FixMsgTypes.MarketDataRequest);
        await _peer.SendAsync(Snapshot("1.1", "1.1001"), 1);
        var logout = await _peer.ReceiveAsync(FixMsgTypes.Logout);
        Assert.Equal("MsgSeqNum too low, expecting 2 but received 1", logout.Get(FixTags.Text));
        Assert.Equal("MsgSeqNum too low, expecting 2 but received 1", await run);
    }

    [Fact]
    public async Task Silence_from_the_counterparty_brings_a_test_request_and_then_the_end_of_the_connection()
    {
        var (_, run) = Start(await _peer.ConnectAsync());
        await _peer.ReceiveAsync(FixMsgTypes.Logon);
        await _peer.SendAsync(Logon(), 1);
        var test = await _peer.ReceiveAsync(FixMsgTypes.TestRequest);
        Assert.StartsWith("dealwire-test-", test.Get(FixTags.TestReqId));
        Assert.Equal("no answer to a TestRequest within 1 s", await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Sequence_numbers_survive_a_reconnect_and_the_logout_of_the_counterparty_is_answered()
    {
        var (_, run) = Start(await _peer.ConnectAsync());
        await _peer.ReceiveAsync(FixMsgTypes.Logon);
        await _peer.SendAsync(Logon(), 1);
        await _peer.ReceiveAsync(FixMsgTypes.MarketDataRequest);
        await _peer.SendAsync(new FixMessage(FixMsgTypes.Logout).Add(FixTags.Text, "end of day"), 2);
        await _peer.ReceiveAsync(FixMsgTypes.Logout);
        Assert.Equal("counterparty logged out: end of day", await run);

        // A new store over the same file: what a restarted server reads.
        _store!.Dispose();
        _store = new FixSequenceStore(Path.Combine(_dir, "lp.seqnums"));
        Assert.Equal((4L, 3L), (_store.NextOutgoing, _store.NextIncoming));
        await using var again = new ScriptedCounterparty();
        var (_, _) = Start(await again.ConnectAsync());
        Assert.Equal(4, (await again.ReceiveAsync(FixMsgTypes.Logon)).SeqNum);
    }

    [Fact]
    public async Task Reset_on_logon_starts_both_sides_at_one()
    {
        _store = new FixSequenceStore(Path.Combine(_dir, "lp.seqnums"));
        _store.Save(40, 30);
        var options = new FixSourceOptions { Port = 1, SenderCompId = "DW", TargetCompId = "LP", HeartbeatSeconds = 1, ResetOnLogon = true, Symbols = Options.Symbols };
        var (session, _) = Start(await _peer.ConnectAsync(), options);
        var logon = await _peer.ReceiveAsync(FixMsgTypes.Logon);
        Assert.Equal((1L, "Y"), (logon.SeqNum, logon.Get(FixTags.ResetSeqNumFlag)));
        await _peer.SendAsync(Logon().Add(FixTags.ResetSeqNumFlag, "Y"), 1);
        await _peer.ReceiveAsync(FixMsgTypes.MarketDataRequest);
        await _peer.SendAsync(Snapshot("1.1", "1.1001"), 2);
        await WaitForTicksAsync(1);
        Assert.Equal(0, session.Counters.ResendRequestsSent);
    }
}
