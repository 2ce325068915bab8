using System.Diagnostics;
using Dealwire.Benchmarks.Engine;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;

namespace Dealwire.Benchmarks.History;

/// <summary>
/// <c>--projector-probe PROVIDER [COMMANDS]</c>: what the history projector costs per command of the round-trip load
/// (a manager's open, close and every fourth loop a deposit, all audited), on one thread: CPU time of this process per
/// command in the fold (<see cref="HistoryChanges"/>, the audit JSON) and in the store's write (the provider's own
/// write path and, for SQLite, its file I/O), and the store's bytes per command. The commands come from a real
/// engine, cut into committed batches of 32 and written in runs of 16 batches, as the projector folds what queued
/// under a full load; <c>--projector-probe Sqlite COMMANDS PER_WRITE</c> writes PER_WRITE commands per transaction
/// instead (one batch of that size when under 32), as a lighter load does. Each of 5 rounds writes a fresh store;
/// medians are reported. The load tool's server pays the same on a pool thread.
/// </summary>
internal static class ProjectorCpuProbe
{
    public static void Run(TextWriter output, string provider, int commands, int perWrite = 512) =>
        RunAsync(output, Enum.Parse<HistoryProvider>(provider, true), commands, perWrite).GetAwaiter().GetResult();

    private static async Task RunAsync(TextWriter output, HistoryProvider provider, int commands, int perWrite)
    {
        if (provider != HistoryProvider.Sqlite) throw new NotSupportedException("the probe measures the embedded store; PostgreSQL is --history-store-probe");
        var batchCommands = Math.Min(32, perWrite);
        var batchesPerWrite = Math.Max(1, perWrite / batchCommands);
        var batches = Commands(commands, batchCommands);
        output.WriteLine($"provider {provider}, {commands:N0} commands in {batches.Count:N0} batches, {batchCommands * batchesPerWrite} per transaction, load average {LoadAverage.Now()}");
        var fold = new List<double>();
        var write = new List<double>();
        var bytes = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var dir = Path.Combine(Path.GetTempPath(), "dw-projector-probe-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            try
            {
                await using (var store = HistoryStores.Create(new HistoryOptions { Provider = provider }, dir))
                {
                    await store.OpenAsync();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    double foldCpu = 0, writeCpu = 0;
                    for (var i = 0; i < batches.Count; i += batchesPerWrite)
                    {
                        var t0 = Cpu();
                        var changes = HistoryChanges.From(batches.Skip(i).Take(batchesPerWrite));
                        var t1 = Cpu();
                        await store.ApplyAsync(changes);
                        var t2 = Cpu();
                        foldCpu += t1 - t0;
                        writeCpu += t2 - t1;
                    }
                    fold.Add(foldCpu * 1e6 / commands);
                    write.Add(writeCpu * 1e6 / commands);
                }
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                bytes.Add(Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length) / (double)commands);
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
            output.WriteLine($"  round {round + 1}: fold {fold[^1]:F2} µs, write {write[^1]:F2} µs, store {bytes[^1]:F0} B per command");
        }
        output.WriteLine($"median per command: fold {Median(fold):F2} µs + write {Median(write):F2} µs = {Median(fold) + Median(write):F2} µs CPU; " +
            $"store {Median(bytes):F0} B; load average {LoadAverage.Now()}");
    }

    /// <summary>The round-trip load's command mix from one manager on one account, as committed batches.</summary>
    private static List<CommittedBatch> Commands(int count, int batchCommands)
    {
        var engine = BenchmarkBroker.Create();
        var login = BenchmarkBroker.Account(engine, 1_000_000m);
        // The store follows the stream from sequence 1: the set-up stands in as clock commands (not audited, no rows).
        var setUp = Enumerable.Range(1, (int)engine.LastSequence).Select(s =>
        {
            var c = new AdvanceTime();
            c.Stamp(s, 0);
            return (EngineCommand)c;
        }).ToArray();
        var batches = new List<CommittedBatch> { new(1, engine.LastSequence, setUp, []) };
        var commands = new List<EngineCommand>();
        var events = new List<EngineEvent>();
        for (var loop = 0; commands.Count + (batches.Count - 1) * batchCommands < count; loop++)
        {
            var open = new OpenPosition(login, "EURUSD", TradeCommand.Buy, 1) { Actor = "admin:1" };
            var trade = (TradeRecord)Apply(open)!;
            Apply(new ClosePosition(login, trade.Ticket) { Actor = "admin:1" });
            if (loop % 4 == 3) Apply(new PostLedger(login, LedgerKind.Deposit, 1m) { Actor = "admin:1", Comment = "bench" });
        }
        if (commands.Count > 0) Cut();
        return batches;

        object? Apply(EngineCommand command)
        {
            var (_, value) = BenchmarkBroker.Apply(engine, command);
            commands.Add(command);
            events.AddRange(engine.LastEvents);
            if (commands.Count == batchCommands) Cut();
            return value;
        }

        void Cut()
        {
            batches.Add(new CommittedBatch(commands[0].Sequence, commands[^1].Sequence, commands.ToArray(), events.ToArray()));
            commands.Clear();
            events.Clear();
        }
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
