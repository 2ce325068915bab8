using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;

namespace Dealwire.Persistence.Tests;

/// <summary>Recovery decodes on a reader thread while the engine applies; errors must keep their journal order.</summary>
public class ReplayPipelineTests
{
    [Fact]
    public void Records_arrive_in_order_and_the_scan_reports_the_end()
    {
        using var dir = new TempDir();
        Journals.WriteTicks(dir.Journal, 5000, perBatch: 100);
        var seen = new List<long>();
        var scan = ReplayPipeline.Run(dir.Journal, 1200, checkCoveredSegments: true, r => seen.Add(r.Command.Sequence));
        Assert.Equal(Enumerable.Range(1201, 3800).Select(i => (long)i), seen);
        Assert.Equal(5000, scan.LastSequence);
    }

    [Fact]
    public void An_undecodable_record_is_reported_after_every_record_before_it_was_applied()
    {
        using var dir = new TempDir();
        Journals.WriteTicks(dir.Journal, 2999, perBatch: 500);
        var segment = JournalReader.ListSegments(dir.Journal).Single().Path;
        var offset = new FileInfo(segment).Length;
        var record = new byte[JournalFormat.RecordHeaderSize + 2];
        record[JournalFormat.RecordHeaderSize] = 2; // a deposit whose payload ends after its time
        record[JournalFormat.RecordHeaderSize + 1] = 2;
        JournalFormat.CompleteRecord(record, 3000);
        using (var file = new FileStream(segment, FileMode.Append)) file.Write(record);

        var applied = 0L;
        var error = Assert.Throws<DataCorruptionException>(() => ReplayPipeline.Run(dir.Journal, 0, true, r => applied = r.Command.Sequence));
        Assert.Equal(2999, applied);
        Assert.Equal(offset, error.Offset);
        Assert.Contains("Record 3000", error.Message);
    }

    [Fact]
    public void An_error_while_applying_stops_the_reader_even_when_it_is_far_ahead()
    {
        using var dir = new TempDir();
        Journals.WriteTicks(dir.Journal, 30_000, perBatch: 1000);
        var applied = 0;
        var error = Assert.Throws<InvalidOperationException>(() => ReplayPipeline.Run(dir.Journal, 0, true, r =>
        {
            if (++applied == 10) throw new InvalidOperationException("replay refused record 10");
        }));
        Assert.Equal("replay refused record 10", error.Message);
        Assert.Equal(10, applied);
    }
}
