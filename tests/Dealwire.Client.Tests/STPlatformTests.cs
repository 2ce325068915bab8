using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dealwire.Client.Tests.Infrastructure;
using ScaleTrade;

namespace Dealwire.Client.Tests;

/// <summary>The ScaleTrade.STPlatform facade, and TLS.</summary>
public sealed class STPlatformTests
{
    private static readonly string[] SeedSymbols = ["EURUSD", "BTCUSD"];

    [Fact]
    public async Task The_seed_calls_work_auto_subscribe_dynamic_command_and_events()
    {
        await using var server = new ScriptedServer();
        server.Responder = r => r.Command == "AddUser"
            ? ScriptedServer.Ok(r.ExtId, "{\"login\":1005,\"leverage\":100,\"currency\":\"USD\",\"balance\":0.5}")
            : ScriptedServer.Ok(r.ExtId, "\"OK\"");
        using var platform = new STPlatform(server.Endpoint, "test", new Dictionary<string, object> { ["autoSubscribe"] = SeedSymbols },
            null, null, "tok");
        var quotes = new List<QuoteEventArgs>();
        var notes = new List<NotifyEventArgs>();
        platform.Quote += (_, q) => { lock (quotes) quotes.Add(q); };
        platform.Notify += (_, n) => { lock (notes) notes.Add(n); };

        var subscribed = await platform.SubscribeAsync("GBPUSD");
        dynamic cmd = platform.Command;
        var user = await cmd.AddUser(new { group = "TestGroup", name = "John Doe", leverage = 100, enable = 1 });
        await platform.UnsubscribeAsync("BTCUSD");
        var connection = await server.NextConnectionAsync();
        await connection.SendAsync("[\"t\",\"EURUSD\",1.08851,1.0887,1734312345]");
        await connection.SendAsync("[\"n\",\"Hello\",\"\",\"t1\",0,30,0,1734312345,201]");

        Assert.Equal("\"OK\"", subscribed.ToString());
        Assert.Equal("{\"login\":1005,\"leverage\":100,\"currency\":\"USD\",\"balance\":0.5}", "" + user);
        Assert.Equal(1005L, (long)user.login);
        Assert.Equal(0.5m, (decimal)user.balance);
        Assert.Equal("USD", (string)user["currency"]);
        // The auto-subscription goes first; GBPUSD, asked for while connecting, may ride along in it as well.
        var auto = (await server.NextRequestAsync("Subscribe")).Data.GetProperty("chanels").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["BTCUSD", "EURUSD"], auto.Where(c => c != "GBPUSD"));
        Assert.Equal("{\"chanels\":[\"GBPUSD\"]}", (await server.NextRequestAsync("Subscribe")).Data.GetRawText());
        var addUser = await server.NextRequestAsync("AddUser");
        Assert.Equal("{\"group\":\"TestGroup\",\"name\":\"John Doe\",\"leverage\":100,\"enable\":1}", addUser.Data.GetRawText());
        Assert.Equal("tok", addUser.Token);
        await Eventually.TrueAsync(() => { lock (quotes) lock (notes) return quotes.Count == 1 && notes.Count == 1; }, "the quote and notification arrived");
        Assert.Equal(("EURUSD", 1.08851m, 1.0887m, DateTimeOffset.FromUnixTimeSeconds(1734312345)), (quotes[0].Symbol, quotes[0].Bid, quotes[0].Ask, quotes[0].Timestamp));
        Assert.Equal((30, "Hello", 201), (notes[0].Level, notes[0].Message, notes[0].Code));
        Assert.Equal(["EURUSD", "GBPUSD"], platform.Client.SubscribedSymbols.Order());
    }

    [Fact]
    [Trait("Category", "Slow")] // the facade's 4 s retry pace
    public async Task Calls_made_before_the_server_is_reachable_are_queued_and_errors_surface_as_ServerApiException()
    {
        await using var server = new ScriptedServer();
        await using var proxy = new FaultProxy(server.Port) { RefuseConnections = true };
        server.Responder = r => ScriptedServer.Error(r.ExtId, 400, "INVALID_DATA", "group is required");
        await using var platform = new STPlatform(proxy.Endpoint, "test", null, null, null, "tok");
        // The facade keeps the official clients' 4 s retry pace; this test only needs the first attempt to fail.

        dynamic cmd = platform.Command;
        Task<STResponse> call = cmd.AddUser();
        // Sentinel: an attempt to reach the server failed after the call was made (not a sleep).
        await ConnectFailures.Next(platform.Client).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(call.IsCompleted);
        proxy.RefuseConnections = false;

        var error = await Assert.ThrowsAsync<ServerApiException>(() => call.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(("INVALID_DATA", "group is required"), (error.Error, error.ServerMessage));
        Assert.Equal("{}", (await server.NextRequestAsync("AddUser")).Data.GetRawText());
    }

    [Fact]
    public async Task The_dynamic_command_rejects_more_than_one_argument_and_disposal_fails_calls()
    {
        await using var server = new ScriptedServer();
        server.Responder = _ => null;
        var platform = new STPlatform(server.Endpoint, "test", new Dictionary<string, object> { ["timeout"] = 60_000 }, null, null, "tok");
        dynamic cmd = platform.Command;

        Assert.Throws<ArgumentException>(() => cmd.AddUser(new { a = 1 }, new { b = 2 }));
        Task<STResponse> pending = cmd.GetGroups();
        await server.NextRequestAsync("GetGroups");
        platform.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Tls_connections_validate_the_server_certificate_through_the_callback()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
        await using var server = new ScriptedServer(certificate);
        var seenThumbprint = "";

        await using var client = await ClientFactory.ConnectAsync(server.Endpoint, o =>
        {
            o.UseTls = true;
            o.TlsTargetHost = "localhost";
            o.RemoteCertificateValidation = (_, cert, _, errors) =>
            {
                seenThumbprint = cert!.GetCertHashString();
                return errors == SslPolicyErrors.RemoteCertificateChainErrors; // self-signed: only the chain is untrusted
            };
        });
        await client.CallAsync("Ping");

        Assert.Equal(certificate.Thumbprint, seenThumbprint);
        Assert.Equal("Ping", (await server.NextRequestAsync()).Command);
        await Assert.ThrowsAsync<ServerApiConnectionException>(() => ClientFactory.ConnectAsync(server.Endpoint, o => o.UseTls = true));
    }
}
