using System.Globalization;

namespace Dealwire.LoadTest.Baselines;

/// <summary>
/// <c>child ceiling|echo|redis-feed --port P [--redis-port R]</c>: a baseline process driven by stdin lines
/// <c>start RATE TAPE</c> (answers <c>ok START_UNIX_MS</c>), <c>stop</c> and <c>exit</c>.
/// </summary>
public static class ChildMain
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args[1];
        var port = int.Parse(Value(args, "--port"), CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        TransportCeilingServer? ceiling = null;
        RedisFeed? redis = null;
        Task listening = Task.CompletedTask;
        switch (mode)
        {
            case "ceiling":
                ceiling = new TransportCeilingServer(port);
                listening = ceiling.ListenAsync(stop.Token);
                break;
            case "echo":
                listening = new EchoServer(port).ListenAsync(stop.Token);
                break;
            case "redis-feed":
                redis = new RedisFeed(int.Parse(Value(args, "--redis-port"), CultureInfo.InvariantCulture));
                break;
            default:
                Console.WriteLine($"error unknown child mode {mode}");
                return 2;
        }
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                switch (words.FirstOrDefault())
                {
                    case "start":
                        var rate = double.Parse(words[1], CultureInfo.InvariantCulture);
                        var tape = int.Parse(words[2], CultureInfo.InvariantCulture);
                        var started = ceiling is not null ? ceiling.Start(rate, tape) : redis is not null ? await redis.StartAsync(rate, tape) : 0;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok {started:F3}"));
                        break;
                    case "stop":
                        if (ceiling is not null) await ceiling.StopAsync();
                        if (redis is not null) await redis.StopAsync();
                        Console.WriteLine("ok");
                        break;
                    case "exit":
                        await stop.CancelAsync();
                        Console.WriteLine("ok");
                        return 0;
                    default:
                        Console.WriteLine($"error unknown command {line}");
                        break;
                }
            }
            catch (Exception ex)
            {
                Console.WriteLine($"error {ex.Message.ReplaceLineEndings(" ")}");
            }
        }
        await stop.CancelAsync();
        try
        {
            await listening;
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }

    private static string Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0 || i + 1 >= args.Length) throw new ArgumentException($"{name} is required");
        return args[i + 1];
    }
}
