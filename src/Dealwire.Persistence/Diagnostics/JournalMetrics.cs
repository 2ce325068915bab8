using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dealwire.Persistence.Journal;

namespace Dealwire.Persistence.Diagnostics;

/// <summary>
/// The journal's instruments (meter <c>Dealwire.Persistence</c>): how long each group-commit write and fsync took,
/// how many commands one fsync carried, and how much waits for the disk. Recorded on the flusher thread.
/// </summary>
public static class JournalMetrics
{
    public const string MeterName = "Dealwire.Persistence";

    public static readonly Meter Meter = new(MeterName);

    // An fsync on SSD takes 0.1–5 ms; on a busy or networked disk tens of ms or more.
    private static readonly double[] DiskBuckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly Histogram<double> FsyncDuration = Meter.CreateHistogram(
        "dealwire_journal_fsync_duration_seconds", unit: "s", description: "Duration of one journal fsync (one per group commit in Fsync mode).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DiskBuckets });

    private static readonly Histogram<double> WriteDuration = Meter.CreateHistogram(
        "dealwire_journal_write_duration_seconds", unit: "s", description: "Duration of one journal write system call (one per group commit).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DiskBuckets });

    private static readonly Histogram<long> BatchCommands = Meter.CreateHistogram<long>(
        "dealwire_journal_batch_commands", unit: "{command}", description: "Commands made durable by one write (the group-commit size).",
        tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384] });

    private static readonly Counter<long> WrittenBytes = Meter.CreateCounter<long>(
        "dealwire_journal_written_bytes", unit: "By", description: "Bytes appended to the journal.");

    private static volatile JournalWriter? _observed;

    static JournalMetrics()
    {
        Meter.CreateObservableGauge("dealwire_journal_queue_depth", () => _observed?.QueuedCommands ?? 0, unit: "{command}",
            description: "Commands the engine handed to the journal that are not yet written.");
        Meter.CreateObservableGauge("dealwire_journal_durable_sequence", () => _observed?.DurableSequence ?? 0, unit: "{sequence}",
            description: "Highest sequence as durable as the durability mode promises.");
    }

    /// <summary>Makes <paramref name="writer"/> the journal whose queue is reported (a server has one).</summary>
    internal static void Observe(JournalWriter writer) => _observed = writer;

    /// <summary>One group commit: <paramref name="commands"/> commands, <paramref name="bytes"/> written; sync 0 when not fsync'd.</summary>
    internal static void Written(int commands, long bytes, long writeStarted, long writeEnded, long syncEnded)
    {
        WrittenBytes.Add(bytes);
        BatchCommands.Record(commands);
        WriteDuration.Record(Stopwatch.GetElapsedTime(writeStarted, writeEnded).TotalSeconds);
        if (syncEnded != 0) FsyncDuration.Record(Stopwatch.GetElapsedTime(writeEnded, syncEnded).TotalSeconds);
    }
}
