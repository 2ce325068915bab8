using BenchmarkDotNet.Running;
using Dealwire.Benchmarks.Engine;

// `--cpu-probe WORKLOAD`: CPU time per operation of the engine thread, for shared noisy machines where
// wall-clock means measure waiting for a core. Anything else goes to BenchmarkDotNet:
// `dotnet run -c Release --project bench/Dealwire.Benchmarks -- --filter '*TickBenchmarks*'`.
if (args is ["--cpu-probe", var workload, ..])
{
    EngineCpuProbe.Run(Console.Out, workload);
    return;
}
// `--gateway-probe`: the same for the Server API gateway's own path of a trade command (engine stand-in).
if (args is ["--gateway-probe", ..])
{
    Dealwire.Benchmarks.Gateway.GatewayCpuProbe.Run(Console.Out);
    return;
}
// `--history-probe DEALS`: engine heap and snapshot size after DEALS closed deals (history growth).
if (args is ["--history-probe", var deals, ..])
{
    HistoryGrowthProbe.Run(Console.Out, long.Parse(deals, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
// `--history-store-probe Sqlite|PostgreSql DEALS [LANES]`: projector write throughput and 100-row page latency of the
// history store; LANES = History:Lanes (PostgreSQL connections written at once, default 2).
if (args is ["--history-store-probe", var provider, var total, ..])
{
    Dealwire.Benchmarks.History.HistoryStoreProbe.Run(Console.Out, provider, long.Parse(total, System.Globalization.CultureInfo.InvariantCulture),
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : new Dealwire.ReadModel.History.HistoryOptions().Lanes);
    return;
}
// `--projector-probe Sqlite [COMMANDS [PER_WRITE]]`: the history projector's CPU per command of the round-trip load
// (fold + write), PER_WRITE commands per transaction (default 512).
if (args is ["--projector-probe", var store, ..])
{
    Dealwire.Benchmarks.History.ProjectorCpuProbe.Run(Console.Out, store,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 512);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkBroker).Assembly).Run(args);
