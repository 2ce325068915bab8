namespace Dealwire.Testing;

/// <summary>
/// A replay feed of constant prices for the embedded default's six symbols, so end-to-end tests know every
/// quote, fill price and profit in advance. Each symbol is re-sent about ten times a second.
/// </summary>
public static class FixedPrices
{
    /// <summary>Bid and ask per symbol, as the wire prints them (the symbol's digits).</summary>
    public static readonly IReadOnlyDictionary<string, (string Bid, string Ask)> Quotes = new Dictionary<string, (string, string)>
    {
        ["EURUSD"] = ("1.10000", "1.10010"),
        ["GBPUSD"] = ("1.27000", "1.27015"),
        ["USDJPY"] = ("151.500", "151.512"),
        ["XAUUSD"] = ("2350.00", "2350.30"),
        ["US500"] = ("5200.0", "5200.6"),
        ["BTCUSD"] = ("65000.00", "65020.00"),
    };

    /// <summary>Makes <paramref name="options"/> start the server with the fixed-price replay instead of the synthetic feed.</summary>
    public static DealwireProcessOptions WithFixedPrices(this DealwireProcessOptions options)
    {
        options.Environment["DEALWIRE__Feed__Kind"] = "Replay";
        var previous = options.BeforeFirstStart;
        options.BeforeFirstStart = async server =>
        {
            var file = Path.Combine(server.RootDir, "fixed-prices.csv");
            await File.WriteAllTextAsync(file, Tape());
            options.Environment["DEALWIRE__Feed__ReplayFile"] = file;
            if (previous is not null) await previous(server);
        };
        return options;
    }

    /// <summary>Waits until the engine has applied a whole pass of the tape (every symbol has a price, trades can fill).</summary>
    public static async Task WaitUntilPricedAsync(this DealwireProcess server, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while ((await server.GetHealthAsync()).GetProperty("ticksProcessed").GetInt64() < 2 * Quotes.Count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the fixed-price replay did not reach the engine in time:\n" + server.CapturedOutput);
            await Task.Delay(50);
        }
    }

    /// <summary>Two passes 100 ms apart per symbol; the replay loops it.</summary>
    private static string Tape()
    {
        var lines = new List<string> { "symbol,bid,ask,time_ms" };
        foreach (var time in new[] { 1_000, 1_100 })
        {
            lines.AddRange(Quotes.Select(p => $"{p.Key},{p.Value.Bid},{p.Value.Ask},{time}"));
        }
        return string.Join('\n', lines) + "\n";
    }
}
