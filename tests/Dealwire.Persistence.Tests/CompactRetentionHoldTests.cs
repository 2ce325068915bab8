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

    [Fact]
    public async Task A_replay_can_start_only_where_a_snapshot_or_the_retained_journal_reaches()
    {
        using var dir = new TempDir();
        var live = await DurableStoreTests.RunSessionAsync(dir.Path, 800, seed: 7, DurableStoreTests.Quiet(segmentSize: 8 * 1024));
        Assert.Null(Recovery.JournalReplayer.WhyCannotReplayAfter(dir.Path, 0)); // the whole journal is still there

        await DataTools.Compact(dir.Path, new DurabilityOptions { SnapshotsToKeep = 1 }, retainAfter: live.Sequence);
        var first = JournalReader.ListSegments(dir.Journal)[0].FirstSequence;
        Assert.True(first > 1);
        // A gateway (or any consumer) that lacks everything before the retained journal and behind the snapshot: refused, with why.
        var why = Recovery.JournalReplayer.WhyCannotReplayAfter(dir.Path, 0);
        Assert.Contains($"starts at sequence {first}", why, StringComparison.Ordinal);
        Assert.NotNull(Recovery.JournalReplayer.WhyCannotReplayAfter(dir.Path, first - 2));
        Assert.Null(Recovery.JournalReplayer.WhyCannotReplayAfter(dir.Path, first - 1));
        Assert.Null(Recovery.JournalReplayer.WhyCannotReplayAfter(dir.Path, live.Sequence)); // the snapshot covers it
    }
}
