using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Dealwire.Engine.Commands;
using Dealwire.Persistence.Journal;

namespace Dealwire.Persistence.Recovery;

/// <summary>A journal record, checked and decoded, waiting to be replayed.</summary>
internal readonly record struct DecodedRecord(EngineCommand Command, string File, long Offset);

/// <summary>
/// Replay in two stages: a reader thread reads, checks (CRC, sequence) and decodes records into chunks, the
/// caller's thread applies them to the engine, in order. A bounded queue keeps the reader at most a few
/// thousand records ahead. Errors keep their place: a damaged record is reported after every record before
/// it was applied, and an error while applying stops the reader.
/// </summary>
internal static class ReplayPipeline
{
    private const int ChunkSize = 1024;
    private const int ChunksAhead = 8;

    public static JournalScan Run(string journalDirectory, long afterSequence, bool checkCoveredSegments, Action<DecodedRecord> apply)
    {
        using var queue = new BlockingCollection<DecodedRecord[]>(ChunksAhead);
        using var stop = new CancellationTokenSource();
        JournalScan? scan = null;
        ExceptionDispatchInfo? readFailure = null;

        var reader = new Thread(() =>
        {
            var chunk = new DecodedRecord[ChunkSize];
            var count = 0;
            try
            {
                scan = JournalReader.Read(journalDirectory, afterSequence, (sequence, codec, payload, file, offset) =>
                {
                    var command = Decode(sequence, codec, payload, file, offset); // before taking a slot: it may throw
                    chunk[count++] = new DecodedRecord(command, file, offset);
                    if (count < ChunkSize) return;
                    queue.Add(chunk, stop.Token);
                    chunk = new DecodedRecord[ChunkSize];
                    count = 0;
                }, checkCoveredSegments);
                if (count > 0) queue.Add(chunk[..count], stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The applying side failed; its error is the one reported.
            }
            catch (Exception ex)
            {
                readFailure = ExceptionDispatchInfo.Capture(ex);
                try
                {
                    if (count > 0) queue.Add(chunk[..count], stop.Token); // the records before the damage still replay first
                }
                catch (OperationCanceledException)
                {
                    // The applying side failed meanwhile; its error wins, as it came first in the journal.
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { Name = "dealwire-replay-reader", IsBackground = true };
        reader.Start();

        try
        {
            foreach (var chunk in queue.GetConsumingEnumerable())
            {
                foreach (var record in chunk) apply(record);
            }
        }
        catch
        {
            stop.Cancel();
            reader.Join();
            throw;
        }
        reader.Join();
        readFailure?.Throw();
        return scan!;
    }

    private static EngineCommand Decode(long sequence, ushort codec, ReadOnlySpan<byte> payload, string file, long offset)
    {
        EngineCommand command;
        try
        {
            command = CommandCodec.Read(codec, sequence, payload);
        }
        catch (FormatException ex)
        {
            throw new DataCorruptionException(file, offset, $"Record {sequence} has a valid checksum but cannot be decoded ({ex.Message}); was it written by a newer version?");
        }
        if (command.Sequence != sequence)
        {
            throw new DataCorruptionException(file, offset, $"Record {sequence} holds a command stamped {command.Sequence}");
        }
        return command;
    }
}
