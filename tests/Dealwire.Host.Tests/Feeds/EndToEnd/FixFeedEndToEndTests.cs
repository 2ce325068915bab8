using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>A jspurefix acceptor (tests/node) and <c>dealwire serve</c> with <c>Feed:Kind=Fix</c>, started once for the class.</summary>
public sealed class FixFeedFixture : IAsyncLifetime
{
    public JspurefixAcceptor Acceptor { get; private set; } = null!;

    public DealwireProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The acceptor's port is found free, then bound by node seconds later (jspurefix loads its dictionary first): in a
        // clean-clone run another test's process took it meanwhile (EADDRINUSE). Then both start again on a new port.
        for (var attempt = 1; ; attempt++)
        {
            Acceptor = JspurefixAcceptor.Start();
            Server = await DealwireProcess.StartAsync(ServerOptions(Acceptor.Port));
            try
            {
                // The initiator retries until the acceptor listens.
                await Acceptor.WaitForAsync("mdr", timeout: TimeSpan.FromSeconds(90));
                return;
            }
            catch (TimeoutException) when (attempt < 3 && Acceptor.ExitedWithAddressInUse())
            {
                await Server.DisposeAsync();
                await Acceptor.DisposeAsync();
            }
        }
    }

    private static DealwireProcessOptions ServerOptions(int acceptorPort)
    {
        var options = new DealwireProcessOptions { StartTimeout = TimeSpan.FromSeconds(60) };
        options.BeforeFirstStart = server =>
        {
            // The symbol map has a slash in its keys: a JSON file says it more plainly than environment variables.
            var config = Path.Combine(server.RootDir, "fix.json");
            File.WriteAllText(config, JsonSerializer.Serialize(new
            {
                Feed = new
                {
                    Kind = "Fix",
                    Fix = new
                    {
                        Host = "127.0.0.1", Port = acceptorPort, SenderCompId = "DW", TargetCompId = "LP", HeartbeatSeconds = 5,
                        ReconnectDelay = "00:00:00.200", ReconnectMaxDelay = "00:00:01",
                        Symbols = new Dictionary<string, string> { ["EUR/USD"] = "EURUSD", ["GBP/USD"] = "GBPUSD" },
                    },
                },
            }));
            options.ExtraArguments.AddRange(["--config", config]);
            return Task.CompletedTask;
        };
        return options;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Acceptor.DisposeAsync();
    }
}

/// <summary>The FIX 4.4 initiator against a real third-party FIX engine: quotes, a dropped session, a sequence gap.</summary>
[Trait("Category", "Slow")]
public sealed class FixFeedEndToEndTests(FixFeedFixture fixture) : IClassFixture<FixFeedFixture>
{
    private static readonly string[] EurUsd = ["EURUSD"];
    private JspurefixAcceptor Acceptor => fixture.Acceptor;
    private DealwireProcess Server => fixture.Server;

    /// <summary>Waits for a quote line; on timeout the failure carries the provider's events and the server's log.</summary>
    private async Task QuoteAsync(LineClient viewer, string prefix)
    {
        try
        {
            await viewer.WaitForAsync(l => l.StartsWith(prefix, StringComparison.Ordinal));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {prefix}\nprovider events:\n{string.Join('\n', Acceptor.Events.Select(e => e.GetRawText()))}\n"
                + $"server:\n{Server.CapturedOutput}", ex);
        }
    }

    private async Task<LineClient> SubscribedAdminAsync()
    {
        var viewer = await LineClient.ConnectAsync(Server.ServerApiPort);
        viewer.Timeout = TimeSpan.FromSeconds(20);
        await viewer.CallAsync("Subscribe", new { chanels = EurUsd }, Server.AdminToken);
        return viewer;
    }

    [Fact]
    public async Task Provider_quotes_reach_a_server_api_user_with_the_groups_markup()
    {
        await using var admin = await LineClient.ConnectAsync(Server.ServerApiPort);
        await admin.CallAsync("UpdateGroup", new
        {
            group = "fix-markup", company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 0, margin_type = 0,
            margin_stopout = 50, default_leverage = 100, default_deposit = 0,
            secgroups = new object[] { new { sec_index = 0, show = 1, trade = 1, lot_min = 1, lot_max = 10000, lot_step = 1 } },
            secmargins = new object[] { new { symbol = "EURUSD", bid_markup = -2, ask_markup = 3 } },
        }, Server.AdminToken);
        var created = await admin.CallAsync("MngAddAccount", new
        {
            group = "fix-markup", name = "FIX Trader", email = "fix@example.com", password = "secret1", leverage = 100, enable = 1,
        }, Server.AdminToken);
        var login = created.GetProperty("data").GetProperty("login").GetInt64();
        await using var user = await LineClient.ConnectAsync(Server.ServerApiPort);
        user.Timeout = TimeSpan.FromSeconds(20);
        await user.CallAsync("Subscribe", new { chanels = EurUsd }, Server.IssueToken(SessionType.User, login, "fix-markup"));

        // The provider moves EUR/USD to 1.10102 / 1.10112; the group marks the bid down 2 points and the ask up 3.
        await Acceptor.CommandAsync("price EUR/USD 1.10102 1.10112");
        var quote = await user.WaitForAsync(l => FeedWire.IsQuote(l, "EURUSD") && l.Contains("1.10100,1.10115", StringComparison.Ordinal));
        Assert.Matches("""^\["t","EURUSD",1\.10100,1\.10115,\d{10}\]$""", quote);
        var fix = await FeedWire.SourceHealthAsync(Server, "fix");
        Assert.True(fix.GetProperty("connected").GetBoolean(), fix.GetRawText());
    }

    [Fact]
    public async Task A_sequence_gap_is_closed_by_a_resend_request_the_provider_answers()
    {
        await using var viewer = await SubscribedAdminAsync();
        var (gaps, resends) = (Acceptor.Count("gap"), Acceptor.Count("resend-request"));
        await Acceptor.CommandAsync("gap 3");
        var gap = await Acceptor.WaitForAsync("gap", gaps + 1);
        await Acceptor.CommandAsync("price EUR/USD 1.10203 1.10213");

        // The initiator sees MsgSeqNum jump past the skipped numbers and asks for them from the first one.
        var request = await Acceptor.WaitForAsync("resend-request", resends + 1);
        Assert.Equal(gap.GetProperty("from").GetInt64(), request.GetProperty("begin").GetInt64());
        Assert.Equal(0, request.GetProperty("end").GetInt64());
        // jspurefix answers with one SequenceReset-GapFill over the skipped numbers and the price sent after them (it keeps
        // no market data to resend); the initiator moves its expected number on, and the session goes on in order.
        await Server.WaitForOutputAsync($"FIX source fix: SequenceReset (gap fill) from {gap.GetProperty("from").GetInt64()} to", TimeSpan.FromSeconds(20));
        await Acceptor.CommandAsync("price EUR/USD 1.10204 1.10214");
        await QuoteAsync(viewer, "[\"t\",\"EURUSD\",1.10204,1.10214,");
    }

    [Fact]
    public async Task A_dropped_session_reconnects_resumes_its_sequence_numbers_and_subscribes_again()
    {
        await using var viewer = await SubscribedAdminAsync();
        var logons = Acceptor.Count("logon");
        var requests = Acceptor.Count("mdr");
        var drops = Acceptor.Count("dropping");
        await Acceptor.CommandAsync("drop");
        await Acceptor.WaitForAsync("dropping", drops + 1);

        // Logged on again with the stored sequence number (no reset), and the MarketDataRequest sent anew.
        var logon = await Acceptor.WaitForAsync("logon", logons + 1);
        Assert.True(logon.GetProperty("seq").GetInt64() > 1, logon.GetRawText());
        await Acceptor.WaitForAsync("mdr", requests + 1);
        await Acceptor.CommandAsync("price EUR/USD 1.10305 1.10315");
        await QuoteAsync(viewer, "[\"t\",\"EURUSD\",1.10305,1.10315,");
    }
}
