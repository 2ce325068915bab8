using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// A real <c>dealwire serve</c> with the transport limits turned down so they can be hit in a test:
/// 4 s to authenticate and to finish a line (long enough that a loaded CI machine still answers the refused commands sent
/// before it), 96 KiB of partial lines for the whole listener, 4 KiB of
/// pending replies per connection (the full GetSymbols table is ~9 KiB, one row ~2 KiB).
/// </summary>
public sealed class LimitsServerFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);
    public const int MaxPartialLineBytes = 96 * 1024;
    public const int MaxPendingReplyBytes = 4096;

    public DealwireProcess Server { get; private set; } = null!;

    public string AdminToken => Server.AdminToken;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__ServerApi__AuthenticationTimeout"] = Deadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ServerApi__LineCompletionTimeout"] = Deadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ServerApi__MaxPartialLineBytes"] = MaxPartialLineBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ServerApi__MaxPendingReplyBytes"] = MaxPendingReplyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ServerApiPort);

    /// <summary>A connection that has passed the authentication deadline's test (one command with a valid token).</summary>
    public async Task<LineClient> ConnectAuthenticatedAsync()
    {
        var client = await ConnectAsync();
        (await client.CallAsync("GetSymbol", new { symbol = "EURUSD" }, AdminToken)).AssertOk();
        return client;
    }
}
