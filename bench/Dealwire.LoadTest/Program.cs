using Dealwire.LoadTest;
using Dealwire.LoadTest.Baselines;
using Dealwire.LoadTest.Measurement;
using Dealwire.LoadTest.Scenarios;
using Dealwire.LoadTest.Targets;
using Spectre.Console;

if (args.Length > 0 && args[0] == "child") return await ChildMain.RunAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    DealwireServer.ExtraEnvironment = options.ServerEnvironment;
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
    AnsiConsole.WriteLine("usage: dotnet run -c Release --project bench/Dealwire.LoadTest -- <fanout|roundtrip|connections|manager> [--connections C] [--rate 1000,10000,max]");
    AnsiConsole.WriteLine("       [--duration S] [--warmup S] [--reps N] [--probes N] [--targets dealwire,dealwire-fsync,redis,ceiling|echo] [--inflight N] [--idle N] [--traders K]");
    AnsiConsole.WriteLine("       [--endpoint 127.0.0.1:PORT --token JWT] [--server-dll PATH] [--out results.json]");
    return 2;
}
if (options.Endpoint is null && (options.Targets.Any(Dealwire.LoadTest.Targets.DealwireServer.IsDealwire) || options.Scenario == "connections") && !File.Exists(options.ServerDll))
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(options.ServerDll)} not found: build it with scripts/bench-setup.sh (or pass --server-dll / --endpoint).[/]");
    return 2;
}

if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 220;
var results = new BenchResults { CommandLine = options.CommandLine };
var failed = false;
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .StartAsync(async context =>
    {
        var ui = new ProgressUi(context);
        try
        {
            switch (options.Scenario)
            {
                case "fanout": await new FanoutScenario(options, ui, results).RunAsync(); break;
                case "roundtrip": await new RoundtripScenario(options, ui, results).RunAsync(); break;
                case "connections": await new ConnectionsScenario(options, ui, results).RunAsync(); break;
                case "manager": await new ManagerScenario(options, ui, results).RunAsync(); break;
                default: throw new ArgumentException($"unknown scenario {options.Scenario} (fanout, roundtrip, connections, manager)");
            }
        }
        catch (Exception ex)
        {
            failed = true;
            results.Notes.Add($"FAILED: {ex.Message}");
            AnsiConsole.WriteException(ex, ExceptionFormats.ShortenEverything);
        }
    });

ResultsTable.Print(results);
results.Write(options.Output);
AnsiConsole.MarkupLine($"Results: [bold]{Markup.Escape(options.Output)}[/] and {Markup.Escape(Path.ChangeExtension(options.Output, ".md"))}");
return failed ? 1 : 0;
