using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using ScaleTrade;

class Program
{
    static async Task Main(string[] args)
    {
        // Dealwire: host and token come from the arguments or DEALWIRE_HOST / DEALWIRE_TOKEN (the only change to the seed's program).
        var host = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("DEALWIRE_HOST") ?? "example.host:8080";
        var token = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("DEALWIRE_TOKEN") ?? "your-api-token";

        var platform = new STPlatform(
            host,
            "scaletrade-csharp-demo",
            new Dictionary<string, object> { ["autoSubscribe"] = new[] { "EURUSD", "BTCUSD" } }, // Auto-subscribe
            null,
            null,
            token
        );

        // Event: quotes
        platform.Quote += (s, q) => Console.WriteLine($"[QUOTE] {q.Symbol}: {q.Bid:F5}/{q.Ask:F5} @ {q.Timestamp}");

        // Event: notifications
        platform.Notify += (s, n) =>
        {
            var lvl = n.Level switch { 10 => "INFO", 20 => "WARN", 30 => "ERROR", 40 => "PROMO", _ => n.Level.ToString() };
            Console.WriteLine($"[NOTIFY:{lvl}] {n.Message} (Code: {n.Code})");
        };

        // Subscribe to GBPUSD
        await platform.SubscribeAsync("GBPUSD");
        Console.WriteLine("✓ Subscribed to GBPUSD");

        // Unsubscribe from BTCUSD after 10 seconds
        _ = Task.Delay(10000).ContinueWith(_ =>
        {
            _ = platform.UnsubscribeAsync("BTCUSD").ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) Console.WriteLine("✓ Unsubscribed from BTCUSD");
            });
        });

        // Create user via dynamic proxy
        dynamic cmd = platform.Command;
        var user = await cmd.AddUser(new
        {
            group = "TestGroup",
            name = "John Doe",
            email = $"john{DateTimeOffset.Now.ToUnixTimeSeconds()}@example.com",
            password = "pass123",
            leverage = 100,
            enable = 1
        });
        Console.WriteLine("✓ User created: " + user);

        await Task.Delay(30000);
        Console.WriteLine("Shutting down...");
        platform.Dispose();
    }
}
