using System.CommandLine;
using Dealwire.Host.Configuration;
using Dealwire.Host.Serving;
using Dealwire.Persistence.Tools;
using Dealwire.ReadModel.History;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Host.Cli;

/// <summary><c>dealwire data verify|compact</c>: integrity check and compaction of a data directory.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var verifyDir = CommonOptions.DataDir();
        var verifyConfig = CommonOptions.ConfigFile();
        var verify = new Command("verify", "Check snapshots and journal (checksums, sequence continuity), replay them and print counts and the state hash. Read-only: safe while the server runs. Exit 1 when damaged.")
        {
            verifyDir, verifyConfig,
        };
        verify.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, verifyConfig, (verifyDir, "Host:DataDir")));
            var report = DataTools.Verify(settings.DataDirectory);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"data directory : {settings.DataDirectory}");
            output.WriteLine($"snapshots      : {report.Snapshots} (newest at sequence {report.Snapshot?.Sequence.ToString() ?? "-"})");
            output.WriteLine($"journal        : {report.Segments} segment(s), {report.Records} record(s), sequences {report.FirstSequence}..{report.LastSequence}");
            output.WriteLine($"torn tail      : {(report.TornTail is null ? "none" : report.TornTail.ToString())}");
            output.WriteLine($"state hash     : {report.StateHash}");
            if (report.FullReplayStateHash is not null) output.WriteLine($"full replay    : {report.FullReplayStateHash}");
            foreach (var problem in report.Problems) parse.InvocationConfiguration.Error.WriteLine($"problem: {problem}");
            output.WriteLine(report.Healthy ? "status         : healthy" : "status         : DAMAGED");
            return report.Healthy ? 0 : 1;
        });

        var compactDir = CommonOptions.DataDir();
        var compactConfig = CommonOptions.ConfigFile();
        var compact = new Command("compact", "Take a snapshot of the recovered state and retire the journal segments it covers. The server must be stopped.")
        {
            compactDir, compactConfig,
        };
        compact.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CommonOptions.Configuration(parse, compactConfig, (compactDir, "Host:DataDir"));
            var settings = HostSettings.From(configuration);
            var output = parse.InvocationConfiguration.Output;
            var hold = await HistoryHoldAsync(configuration, settings.DataDirectory, parse.InvocationConfiguration.Error, cancellationToken);
            var result = await DataTools.Compact(settings.DataDirectory, EngineBootstrap.DurabilityOptions(configuration), NullLogger.Instance, retainAfter: hold);
            output.WriteLine($"history hold   : {(hold == long.MaxValue ? "-" : $"sequence {hold}")}");
            output.WriteLine($"snapshot       : sequence {result.Snapshot?.Sequence.ToString() ?? "-"}");
            output.WriteLine($"retired        : {result.Retention.SegmentsRetired} segment(s), {result.Retention.BytesFreed} bytes");
            output.WriteLine($"state hash     : {result.Recovery.StateHash}");
            return 0;
        });

        return new Command("data", "Data directory maintenance.") { verify, compact };
    }

    /// <summary>
    /// The retention hold of the history projector: the sequence its store has applied (its next run resumes by replaying
    /// the journal after it). Unreadable (PostgreSQL down): hold everything rather than retire segments it may need.
    /// </summary>
    private static async Task<long> HistoryHoldAsync(IConfiguration configuration, string dataDirectory, TextWriter error, CancellationToken ct)
    {
        var options = HistoryRegistration.Options(configuration);
        if (options.Provider == HistoryProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString)
            && !File.Exists(Path.Combine(dataDirectory, "history.db")))
        {
            return 0; // never projected: the first start projects the whole journal
        }
        try
        {
            await using var store = HistoryStores.Create(options, dataDirectory);
            await store.OpenAsync(ct);
            return store.AppliedSequence;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error.WriteLine($"warning: history store unreadable ({ex.Message}); no journal segment is retired past sequence 0");
            return 0;
        }
    }
}
