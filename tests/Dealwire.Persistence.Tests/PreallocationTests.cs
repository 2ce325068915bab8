using System.Collections.Concurrent;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

/// <summary>Fsync-mode segments are zero-filled ahead of the data (cheap fdatasync) and trimmed when closed.</summary>
public class PreallocationTests
{
    [Fact]
    public async Task The_active_segment_is_zero_filled_ahead_and_trimmed_to_its_data_when_closed()
    {
        using var dir = new TempDir();
        var writer = Journals.NewWriter(dir.Journal);
        var entry = new RecordingEntry(Commands.Ticks(1, 50), new ConcurrentQueue<RecordingEntry>());
        writer.Enqueue(entry);
        await entry.Done;
        var path = JournalReader.ListSegments(dir.Journal).Single().Path;
        var data = JournalFormat.HeaderSize + writer.Statistics.Bytes;
        var whileOpen = ReadShared(path);
        Assert.Equal(JournalSegment.PreallocationChunk, whileOpen.Length);
        Assert.True(whileOpen.AsSpan((int)data).IndexOfAnyExcept((byte)0) < 0, "the preallocated tail is zeros");
        Assert.Equal(1, writer.Statistics.Writes);
        Assert.Equal(1, writer.Statistics.Syncs);

        writer.Dispose();
        Assert.Equal(data, new FileInfo(path).Length);
        Assert.Equal(50, Journals.ReadAll(dir.Journal, out _).Count);
    }

    [Fact]
    public async Task A_crash_image_with_a_preallocated_tail_recovers_without_a_torn_tail_and_continues()
    {
        using var dir = new TempDir();
        var image = new TempDir();
        using (image)
        {
            var (store, runner) = DurableStoreTests.Start(dir.Path);
            await new Workload(runner).SetupAsync();
            var live = (await runner.QueryAsync(r => r.LastSequence));
            var hash = await runner.ExclusiveAsync(e => e.StateHash());
            // The process "dies" now: copy the files as they are (segment still open, zeros after the data).
            Directory.CreateDirectory(image.Journal);
            foreach (var file in Directory.EnumerateFiles(dir.Journal, "*.wal")) File.WriteAllBytes(Path.Combine(image.Journal, Path.GetFileName(file)), ReadShared(file));
            await DurableStoreTests.StopAsync(store, runner);

            var segment = Directory.EnumerateFiles(image.Journal, "*.wal").Single();
            Assert.True(new FileInfo(segment).Length > JournalFormat.HeaderSize + 100);
            var reopened = DurableStore.Open(image.Path, DurableStoreTests.Quiet(), NullLogger.Instance);
            Assert.Null(reopened.Report.TornTail);
            Assert.Equal(live, reopened.Report.LastSequence);
            Assert.Equal(hash, reopened.Report.StateHash);
            await reopened.CloseAsync();
        }
    }

    [Fact]
    public async Task Os_mode_does_not_preallocate()
    {
        using var dir = new TempDir();
        using var writer = Journals.NewWriter(dir.Journal, new DurabilityOptions { Mode = DurabilityMode.Os });
        var entry = new RecordingEntry(Commands.Ticks(1, 5), new ConcurrentQueue<RecordingEntry>());
        writer.Enqueue(entry);
        await entry.Done;
        var path = JournalReader.ListSegments(dir.Journal).Single().Path;
        Assert.Equal(JournalFormat.HeaderSize + writer.Statistics.Bytes, new FileInfo(path).Length);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
