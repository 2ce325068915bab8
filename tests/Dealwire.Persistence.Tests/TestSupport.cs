using System.Collections.Concurrent;
using Dealwire.Engine.Commands;
using Dealwire.Persistence.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

/// <summary>A temporary data directory, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dealwire-persist-" + Guid.NewGuid().ToString("N"));

    public string Journal => System.IO.Path.Combine(Path, "journal");

    public string Snapshots => System.IO.Path.Combine(Path, "snapshots");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file still open elsewhere must not fail the test
        }
    }
}

/// <summary>A journal entry that records when and in which order it was released or failed.</summary>
internal sealed class RecordingEntry(IReadOnlyList<EngineCommand> commands, ConcurrentQueue<RecordingEntry> log, Func<long>? probe = null) : JournalEntry
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override IReadOnlyList<EngineCommand> Commands => commands;

    public Task Done => _done.Task;

    /// <summary>What <c>probe</c> said at the moment of release (e.g. the durable sequence).</summary>
    public long ProbeAtRelease { get; private set; } = -1;

    public Exception? Error { get; private set; }

    public bool Released { get; private set; }

    public override void Release()
    {
        ProbeAtRelease = probe?.Invoke() ?? -1;
        Released = true;
        log.Enqueue(this);
        _done.TrySetResult();
    }

    public override void Fail(Exception error)
    {
        Error = error;
        log.Enqueue(this);
        _done.TrySetResult();
    }
}

internal static class Commands
{
    public static EngineCommand Tick(long sequence, decimal bid = 1.1m) => Stamp(new ApplyTick("EURUSD", bid, bid + 0.0002m, 1_700_000_000_000 + sequence), sequence);

    public static EngineCommand Deposit(long sequence, long login, decimal amount) =>
        Stamp(new PostLedger(login, Dealwire.Engine.Model.LedgerKind.Deposit, amount) { Comment = "dep " + sequence, IdempotencyKey = "k" + sequence }, sequence);

    public static EngineCommand Stamp(EngineCommand command, long sequence)
    {
        command.Stamp(sequence, 1_700_000_000_000 + sequence);
        return command;
    }

    public static List<EngineCommand> Ticks(long first, int count) => Enumerable.Range(0, count).Select(i => Tick(first + i, 1.1m + i * 0.00001m)).ToList();
}

internal static class Journals
{
    public static JournalWriter NewWriter(string journalDir, DurabilityOptions? options = null, long lastSequence = 0) =>
        new(journalDir, lastSequence, null, 0, options ?? new DurabilityOptions(), NullLogger.Instance);

    /// <summary>Writes <paramref name="count"/> ticks, <paramref name="perBatch"/> per entry, and closes the writer.</summary>
    public static void WriteTicks(string journalDir, int count, int perBatch = 10, DurabilityOptions? options = null, bool oneWritePerBatch = false)
    {
        using var writer = NewWriter(journalDir, options);
        var log = new ConcurrentQueue<RecordingEntry>();
        var entries = new List<RecordingEntry>();
        for (var first = 1; first <= count; first += perBatch)
        {
            var entry = new RecordingEntry(Commands.Ticks(first, Math.Min(perBatch, count - first + 1)), log);
            entries.Add(entry);
            writer.Enqueue(entry);
            if (oneWritePerBatch) entry.Done.Wait();
        }
        Task.WaitAll(entries.Select(e => e.Done).ToArray());
    }

    /// <summary>Writes a segment holding one record (sequence 1) with a valid checksum around <paramref name="payload"/>; returns its path.</summary>
    public static string WriteSingleRecord(string journalDir, ushort codec, byte[] payload)
    {
        Directory.CreateDirectory(journalDir);
        var path = Path.Combine(journalDir, JournalFormat.FileName(1));
        var data = new byte[JournalFormat.HeaderSize + JournalFormat.RecordHeaderSize + payload.Length];
        JournalFormat.WriteHeader(data, 1, codec);
        payload.CopyTo(data, JournalFormat.HeaderSize + JournalFormat.RecordHeaderSize);
        JournalFormat.CompleteRecord(data.AsSpan(JournalFormat.HeaderSize), 1);
        File.WriteAllBytes(path, data);
        return path;
    }

    /// <summary>Every record: sequence, file, offset and decoded command.</summary>
    public static List<(long Sequence, string File, long Offset, EngineCommand Command)> ReadAll(string journalDir, out JournalScan scan)
    {
        var records = new List<(long, string, long, EngineCommand)>();
        scan = JournalReader.Read(journalDir, 0, (seq, codec, payload, file, offset) => records.Add((seq, file, offset, CommandCodec.Read(codec, seq, payload))), checkCoveredSegments: true);
        return records;
    }
}
