using BenchmarkDotNet.Attributes;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.Persistence;

/// <summary>
/// Durable commands per second through the runner and the journal with group commit: each client submits
/// a deposit and waits for its durable reply before sending the next (closed loop). One operation = one
/// acknowledged, fsync'd command; read the result as ops/s from 1 / Mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 3)]
public class DurableThroughputBenchmarks
{
    private const int CommandsPerInvoke = 50_000;
    private string _dir = "";
    private DurableStore? _store;
    private EngineRunner? _runner;
    private long _key;

    internal EngineRunner Runner => _runner!;

    internal DurableStore Store => _store!;

    [Params(1, 8, 64)]
    public int Clients { get; set; }

    [Params(DurabilityMode.Fsync)]
    public DurabilityMode Mode { get; set; }

    /// <summary><see cref="DurabilityOptions.GroupCommitWindow"/> in microseconds (0 = off).</summary>
    [Params(0, 200)]
    public int WindowMicroseconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "dealwire-bench-" + Guid.NewGuid().ToString("N"));
        var options = new DurabilityOptions { Mode = Mode, GroupCommitWindow = TimeSpan.FromMicroseconds(WindowMicroseconds), SnapshotOnShutdown = false, SnapshotEveryCommands = 0, SnapshotInterval = TimeSpan.Zero };
        _store = DurableStore.Open(_dir, options, NullLogger.Instance);
        _runner = new EngineRunner(_store.Engine, _store.Journal, new PersistenceWorkload.BenchClock());
        _runner.Start();
        foreach (var command in PersistenceWorkload.Setup()) Submit(command).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner!.StopAsync().GetAwaiter().GetResult();
        _store!.CloseAsync().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = CommandsPerInvoke)]
    public Task DurableDeposits() => RunClients(_runner!, Clients, CommandsPerInvoke, () => Interlocked.Increment(ref _key));

    internal static Task RunClients(EngineRunner runner, int clients, int commands, Func<long> nextKey) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = c; i < commands; i += clients)
            {
                var key = nextKey();
                var result = await runner.SubmitAsync(new PostLedger(PersistenceWorkload.FirstLogin + key % PersistenceWorkload.Accounts, LedgerKind.Deposit, 1m));
                if (!result.IsOk) throw new InvalidOperationException(result.Message);
            }
        })));

    private async Task Submit(EngineCommand command)
    {
        var result = command switch
        {
            EngineCommand<AccountSnapshot> c => (await _runner!.SubmitAsync(c)).IsOk,
            EngineCommand<SymbolConfig> c => (await _runner!.SubmitAsync(c)).IsOk,
            EngineCommand<SymbolGroupConfig> c => (await _runner!.SubmitAsync(c)).IsOk,
            EngineCommand<GroupConfig> c => (await _runner!.SubmitAsync(c)).IsOk,
            EngineCommand<bool> c => (await _runner!.SubmitAsync(c)).IsOk,
            _ => throw new InvalidOperationException(command.GetType().Name),
        };
        if (!result) throw new InvalidOperationException($"set-up command {command.GetType().Name} failed");
    }
}
