using System.Diagnostics;
using Dealwire.Persistence.Journal;

namespace Dealwire.Persistence.Diagnostics;

/// <summary>
/// Puts <c>journal.write</c> and <c>journal.fsync</c> spans under every traced command of a group commit. The
/// spans are made after the fact with the measured times, so the flusher's hot path pays nothing when no command
/// of the write is traced.
/// </summary>
internal static class JournalTracing
{
    public const string SourceName = "Dealwire.Persistence";

    public static readonly ActivitySource Source = new(SourceName);

    public static void Record(List<JournalEntry> work, int commands, long writeStarted, long writeEnded, long syncEnded)
    {
        if (!Source.HasListeners()) return;
        var now = DateTimeOffset.UtcNow;
        var stamp = Stopwatch.GetTimestamp();
        DateTimeOffset At(long timestamp) => now - Stopwatch.GetElapsedTime(timestamp, stamp);
        foreach (var entry in work)
        {
            foreach (var parent in entry.TraceParents)
            {
                Span("journal.write", parent, At(writeStarted), At(writeEnded), commands);
                if (syncEnded != 0) Span("journal.fsync", parent, At(writeEnded), At(syncEnded), commands);
            }
        }
    }

    private static void Span(string name, ActivityContext parent, DateTimeOffset start, DateTimeOffset end, int commands)
    {
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parent, startTime: start);
        if (activity is null) return;
        activity.SetTag("dealwire.journal.batch_commands", commands);
        activity.SetEndTime(end.UtcDateTime);
    }
}
