using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Tools;

namespace Dealwire.Persistence.Tests;

/// <summary>
/// <c>dealwire data compact</c> keeps the journal a committed-stream consumer still has to replay: the history
/// projector resumes by replaying the journal after the sequence its store applied.
/// </summary>
public sealed class CompactRetentionHoldTests
{
    [Fact]
    public async Task Compact_keeps_every_segment_after_the_history_projectors_applied_sequence()
    {
        using var dir = new TempDir();
        var live = await DurableStoreTests.RunSessionAsync(dir.Path, 800, seed: 7, DurableStoreTests.Quiet(segmentSize: 8 * 1024));
        var segments = JournalReader.ListSegments(dir.Journal);
        Assert.True(segments.Count > 4, "the session should span several segments");
        // The projector stopped in the middle of the third segment.
        var applied = segments[2].FirstSequence + 3;

        var report = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 }, retainAfter: applied);

        Assert.Equal(live.Sequence, report.Snapshot!.Sequence);
        var kept = JournalReader.ListSegments(dir.Journal);
        // Everything after the applied sequence is still on disk, from the segment holding applied + 1 on.
        Assert.True(kept[0].FirstSequence <= applied + 1, $"first kept segment starts at {kept[0].FirstSequence}, the projector needs {applied + 1}");
        Assert.True(report.Retention.SegmentsRetired < segments.Count - 1);
        var verify = DataTools.Verify(dir.Path);
        Assert.True(verify.Healthy, string.Join("; ", verify.Problems));

        // Once the projector has caught up, the next compaction retires what it held.
        var again = await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 }, retainAfter: live.Sequence);
        Assert.True(again.Retention.SegmentsRetired > 0);
        Assert.Single(JournalReader.ListSegments(dir.Journal));
    }
}
