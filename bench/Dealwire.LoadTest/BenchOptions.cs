using System.Globalization;

namespace Dealwire.LoadTest;

/// <summary>Command-line options of every scenario (<c>--name value</c>), with the defaults the docs quote.</summary>
public sealed class BenchOptions
{
    public string Scenario { get; private init; } = "";
    public int Connections { get; private init; } = 100;
    public List<double> Rates { get; private init; } = [1000, 10000, 0];
    public double DurationSeconds { get; private init; } = 5;
    public double WarmupSeconds { get; private init; } = 1;
    public int Repetitions { get; private init; } = 2;
    public int Probes { get; private init; } = 10;
    public List<string> Targets { get; private init; } = ["dealwire", "dealwire-fsync", "redis", "ceiling"];
    public int InFlight { get; private init; } = 16;
    /// <summary>Server API connections trading meanwhile (manager scenario).</summary>
    public int Traders { get; private init; } = 2;
    public int IdleConnections { get; private init; } = 10_000;
    public string? Endpoint { get; private init; }
    public string? Token { get; private init; }
    public string ServerDll { get; private init; } = "";
    /// <summary>Extra environment of every Dealwire server of the run (runtime knobs such as DOTNET_* variables), not of the baselines.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; private init; } = new Dictionary<string, string>();
    public string Output { get; private init; } = "";
    public string CommandLine { get; private init; } = "";

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new ArgumentException("usage: <fanout|roundtrip|connections|manager> [options]");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        var repo = FindRepository();
        var scenario = args[0];
        var options = new BenchOptions
        {
            Scenario = scenario,
            Connections = Int(values, "connections", scenario switch { "roundtrip" => 4, "manager" => 20, _ => 100 }),
            Rates = values.TryGetValue("rate", out var r) ? r.Split(',').Select(ParseRate).ToList() : scenario == "manager" ? [1000] : [1000, 10000, 0],
            DurationSeconds = Double(values, "duration", 5),
            // Round trips: each run starts a fresh server, whose tiered JIT is still compiling ~20 000 methods for the
            // first 10-15 s under load (measured 2026-12-05: 136 µs of server CPU per command in the first 10 s, 50-85
            // (median 62) in every 10 s window from 10 s to 140 s). The figures are of the steady state a running broker is in
            // (the echo baseline gets the same warm-up). Fan-out likewise (2026-12-06: one subscriber at 1 000 ticks/s cost
            // 0.77-0.79 cores in the 4 s after a 1 s warm-up, 0.45-0.50 after 15 s).
            WarmupSeconds = Double(values, "warmup", scenario switch { "roundtrip" => 20, "fanout" => 15, _ => 1 }),
            Repetitions = Int(values, "reps", 2),
            Probes = Int(values, "probes", 10),
            Targets = values.TryGetValue("targets", out var t) ? [.. t.Split(',')] : scenario switch
            {
                "roundtrip" => ["dealwire", "dealwire-fsync", "echo"],
                "manager" => ["dealwire"],
                _ => ["dealwire", "dealwire-fsync", "redis", "ceiling"],
            },
            InFlight = Int(values, "inflight", scenario == "manager" ? 4 : 16),
            Traders = Int(values, "traders", 2),
            IdleConnections = Int(values, "idle", 10_000),
            Endpoint = values.GetValueOrDefault("endpoint"),
            Token = values.GetValueOrDefault("token"),
            ServerDll = values.GetValueOrDefault("server-dll") ?? Path.Combine(repo, "src/Dealwire.Host/bin/Release/net10.0/dealwire.dll"),
            ServerEnvironment = values.TryGetValue("server-env", out var env) ? ParseEnvironment(env) : new Dictionary<string, string>(),
            Output = values.GetValueOrDefault("out") ?? Path.Combine(repo, "bench/Dealwire.LoadTest/results", $"{scenario}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            CommandLine = "dotnet run -c Release --project bench/Dealwire.LoadTest -- " + string.Join(' ', args),
        };
        if (options.Endpoint is not null && options.Token is null) throw new ArgumentException("--endpoint needs --token (an admin or manager token)");
        return options;
    }

    /// <summary>The Server API port of --endpoint (127.0.0.1 only: the tool never sends traffic elsewhere).</summary>
    public int EndpointPort()
    {
        var parts = Endpoint!.Split(':');
        if (parts.Length != 2 || parts[0] is not ("127.0.0.1" or "localhost")) throw new ArgumentException("--endpoint must be 127.0.0.1:PORT");
        return int.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    public static string RateLabel(double rate) => rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"{rate:0}/s") : "max";

    private static double ParseRate(string s) => s == "max" ? 0 : double.Parse(s, CultureInfo.InvariantCulture);

    private static int Int(Dictionary<string, string> v, string name, int fallback) =>
        v.TryGetValue(name, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    private static double Double(Dictionary<string, string> v, string name, double fallback) =>
        v.TryGetValue(name, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary><c>K=V;K=V</c>: variables set for the Dealwire server processes only.</summary>
    private static Dictionary<string, string> ParseEnvironment(string text)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=');
            if (at <= 0) throw new ArgumentException($"--server-env expects K=V;K=V, got '{pair}'");
            environment[pair[..at]] = pair[(at + 1)..];
        }
        return environment;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dealwire.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
