using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Dealwire.Persistence.Snapshots;
using Dealwire.Persistence.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Persistence.Tests;

/// <summary>Each kind of damage and its documented outcome (docs/durability.md, "Recovery outcomes").</summary>
public class CorruptionTests
{
    private static async Task<(string Hash, long Sequence)> Session(TempDir dir, DurabilityOptions? options = null, Func<DurableStore, Dealwire.Engine.Runtime.EngineRunner, Task>? midway = null) =>
        await DurableStoreTests.RunSessionAsync(dir.Path, 400, seed: 11, options, midway: midway);

    private static DataCorruptionException OpenFails(TempDir dir) =>
        Assert.Throws<DataCorruptionException>(() => DurableStore.Open(dir.Path, DurableStoreTests.Quiet(), NullLogger.Instance));

    [Fact]
    public async Task A_truncated_last_record_is_dropped_logged_and_the_journal_continues()
    {
        using var dir = new TempDir();
        var live = await Session(dir);
        var records = Journals.ReadAll(dir.Journal, out _);
        var last = records[^1];
        using (var file = new FileStream(last.File, FileMode.Open)) file.SetLength(last.Offset + 21);

        var (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(live.Sequence - 1, store.Report.LastSequence);
        Assert.Equal(last.File, store.Report.TornTail!.File);
        Assert.Equal(last.Offset, store.Report.TornTail.Offset);
        Assert.Equal(last.Offset, new FileInfo(last.File).Length);
        EngineChecks.AssertBalancesEqualLedgers(store.Engine, dir.Path);
        Assert.True((await runner.SubmitAsync(new Dealwire.Engine.Commands.CreateAccount(new Dealwire.Engine.Model.AccountProfile { Group = "demo" }))).IsOk);
        var after = await DurableStoreTests.StopAsync(store, runner);

        Assert.Equal(live.Sequence, after.Sequence); // the new command took the dropped record's sequence
        var verify = DataTools.Verify(dir.Path);
        Assert.True(verify.Healthy, string.Join("; ", verify.Problems));
        Assert.Equal(after.Hash, verify.StateHash);
    }

    [Fact]
    public async Task A_zero_filled_tail_is_the_clean_end_of_a_preallocated_segment_not_a_torn_write()
    {
        // Segments are zero-filled ahead of the write position (Fsync mode): zeros from a record boundary
        // to the end were never written, so nothing there was acknowledged and nothing is reported torn.
        using var dir = new TempDir();
        var live = await Session(dir);
        var segment = JournalReader.ListSegments(dir.Journal)[^1].Path;
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Append)) file.Write(new byte[4096]);

        var (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(live.Hash, store.Report.StateHash);
        Assert.Null(store.Report.TornTail);
        Assert.True((await runner.SubmitAsync(new Dealwire.Engine.Commands.CreateAccount(new Dealwire.Engine.Model.AccountProfile { Group = "demo" }))).IsOk);
        var after = await DurableStoreTests.StopAsync(store, runner);

        var records = Journals.ReadAll(dir.Journal, out _);
        Assert.Equal(length, records[^1].Offset); // the next record went where the data ended, over the zeros
        Assert.Equal(live.Sequence + 1, after.Sequence);
        Assert.Equal(after.Hash, DataTools.Verify(dir.Path).StateHash);
    }

    [Fact]
    public async Task A_partial_record_followed_by_preallocated_zeros_is_a_torn_write()
    {
        using var dir = new TempDir();
        var live = await Session(dir);
        var records = Journals.ReadAll(dir.Journal, out _);
        var last = records[^1];
        var bytes = File.ReadAllBytes(last.File);
        var end = bytes.Length;
        // The last record's header and part of its payload reached the disk, the rest of the page stayed zero.
        Array.Resize(ref bytes, end + 8192);
        Array.Clear(bytes, (int)last.Offset + 20, end - (int)last.Offset - 20);
        File.WriteAllBytes(last.File, bytes);

        var (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(live.Sequence - 1, store.Report.LastSequence);
        Assert.Equal(last.Offset, store.Report.TornTail!.Offset);
        Assert.Equal(last.Offset, new FileInfo(last.File).Length);
        await DurableStoreTests.StopAsync(store, runner);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_middle_stops_the_start_naming_file_and_offset_and_changes_nothing()
    {
        using var dir = new TempDir();
        await Session(dir);
        var records = Journals.ReadAll(dir.Journal, out _);
        var victim = records[records.Count / 2];
        var bytes = File.ReadAllBytes(victim.File);
        bytes[victim.Offset + JournalFormat.RecordHeaderSize + 3] ^= 0x20;
        File.WriteAllBytes(victim.File, bytes);

        var error = OpenFails(dir);
        Assert.Equal(victim.File, error.File);
        Assert.Equal(victim.Offset, error.Offset);
        Assert.Contains("checksum", error.Message);
        Assert.Contains(victim.File, error.Message);
        Assert.Equal(bytes.Length, new FileInfo(victim.File).Length); // not truncated
        var verify = DataTools.Verify(dir.Path);
        Assert.False(verify.Healthy);
        Assert.Contains($"offset {victim.Offset}", verify.Problems[0]);
    }

    [Fact]
    public async Task Damage_to_the_last_record_of_a_closed_segment_is_corruption_not_a_torn_tail()
    {
        using var dir = new TempDir();
        await Session(dir, DurableStoreTests.Quiet(segmentSize: 4096));
        var segments = JournalReader.ListSegments(dir.Journal);
        Assert.True(segments.Count >= 3);
        var records = Journals.ReadAll(dir.Journal, out _);
        var victim = records.Last(r => r.File == segments[0].Path);
        var bytes = File.ReadAllBytes(victim.File);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(victim.File, bytes);

        var error = OpenFails(dir);
        Assert.Equal(segments[0].Path, error.File);
        Assert.Equal(victim.Offset, error.Offset);
        Assert.Contains("closed segment", error.Message);
    }

    [Fact]
    public async Task A_missing_segment_stops_the_start()
    {
        using var dir = new TempDir();
        await Session(dir, DurableStoreTests.Quiet(segmentSize: 4096));
        var segments = JournalReader.ListSegments(dir.Journal);
        File.Delete(segments[1].Path);

        var error = OpenFails(dir);
        Assert.Equal(segments[2].Path, error.File);
        Assert.Contains("gap", error.Message);

        File.Delete(segments[0].Path); // now the journal starts too late for an empty engine
        var early = OpenFails(dir);
        Assert.Equal(segments[2].Path, early.File);
        Assert.Contains("missing", early.Message);
    }

    [Fact]
    public async Task A_snapshot_newer_than_the_journal_stops_the_start()
    {
        using var dir = new TempDir();
        var options = DurableStoreTests.Quiet();
        options.SnapshotOnShutdown = true;
        var live = await Session(dir, options);
        Assert.Single(SnapshotStore.List(dir.Snapshots));
        // Cut the journal cleanly at a record boundary well before the snapshot (as if its end was lost).
        var records = Journals.ReadAll(dir.Journal, out _);
        var cut = records[records.Count - 10];
        using (var file = new FileStream(cut.File, FileMode.Open)) file.SetLength(cut.Offset);

        var error = OpenFails(dir);
        Assert.Equal(cut.File, error.File);
        Assert.Equal(cut.Offset, error.Offset);
        Assert.Contains($"snapshot at sequence {live.Sequence} is newer than the journal", error.Message);
    }

    [Fact]
    public async Task A_snapshot_alone_without_any_journal_is_accepted_with_a_warning()
    {
        using var dir = new TempDir();
        var options = DurableStoreTests.Quiet();
        options.SnapshotOnShutdown = true;
        var live = await Session(dir, options);
        foreach (var segment in JournalReader.ListSegments(dir.Journal)) File.Delete(segment.Path);

        var (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(live.Hash, store.Report.StateHash);
        Assert.Equal(0, store.Report.Segments);
        Assert.True((await runner.SubmitAsync(new Dealwire.Engine.Commands.CreateAccount(new Dealwire.Engine.Model.AccountProfile { Group = "demo" }))).IsOk);
        await DurableStoreTests.StopAsync(store, runner);
        Assert.Equal(live.Sequence + 1, JournalReader.ListSegments(dir.Journal)[0].FirstSequence);
    }

    [Fact]
    public async Task A_damaged_newest_snapshot_is_rejected_and_an_older_one_plus_the_journal_is_used()
    {
        using var dir = new TempDir();
        var options = DurableStoreTests.Quiet();
        options.SnapshotOnShutdown = true;
        SnapshotInfo? older = null;
        var live = await Session(dir, options, midway: async (store, runner) => older = await store.SnapshotAsync(runner));
        var newest = SnapshotStore.List(dir.Snapshots)[0];
        Assert.Equal(live.Sequence, newest.Sequence);
        var bytes = File.ReadAllBytes(newest.Path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(newest.Path, bytes);

        var verify = DataTools.Verify(dir.Path);
        Assert.False(verify.Healthy);
        Assert.Contains(newest.Path, verify.Problems[0]);
        Assert.Equal(live.Hash, verify.StateHash);

        var (reopened, runner2) = DurableStoreTests.Start(dir.Path);
        Assert.Equal(older!.Sequence, reopened.Report.Snapshot!.Sequence);
        Assert.Equal(newest.Path, Assert.Single(reopened.Report.RejectedSnapshots).Path);
        Assert.Equal(live.Hash, reopened.Report.StateHash);
        await DurableStoreTests.StopAsync(reopened, runner2);
    }

    [Fact]
    public async Task A_snapshot_whose_restored_hash_differs_from_its_header_is_rejected()
    {
        using var dir = new TempDir();
        var options = DurableStoreTests.Quiet();
        options.SnapshotOnShutdown = true;
        await Session(dir, options);
        var (path, _) = SnapshotStore.List(dir.Snapshots)[0];
        var (info, snapshot) = SnapshotFile.Read(path);
        // A well-formed file (checksums right) whose content does not match the recorded hash.
        File.Delete(path);
        SnapshotFile.Write(dir.Snapshots, snapshot with { NextTicket = snapshot.NextTicket + 1 }, fsync: false);

        var error = Assert.Throws<DataCorruptionException>(() => SnapshotStore.LoadVerified(path));
        Assert.Contains(info.StateHash, error.Message);
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_snapshot_and_a_headerless_new_segment_are_cleaned_up()
    {
        using var dir = new TempDir();
        var live = await Session(dir);
        var tmp = Path.Combine(dir.Snapshots, SnapshotFile.FileName(live.Sequence) + ".tmp");
        Directory.CreateDirectory(dir.Snapshots);
        File.WriteAllBytes(tmp, new byte[100]);
        var headerless = Path.Combine(dir.Journal, JournalFormat.FileName(live.Sequence + 1));
        File.WriteAllBytes(headerless, "DWJOU"u8.ToArray());

        var (store, runner) = DurableStoreTests.Start(dir.Path);
        Assert.False(File.Exists(tmp));
        Assert.True(store.Report.TornTail!.WholeFile);
        Assert.Equal(live.Hash, store.Report.StateHash);
        Assert.True((await runner.SubmitAsync(new Dealwire.Engine.Commands.CreateAccount(new Dealwire.Engine.Model.AccountProfile { Group = "demo" }))).IsOk);
        var after = await DurableStoreTests.StopAsync(store, runner);
        Assert.Equal(after.Hash, DataTools.Verify(dir.Path).StateHash);
    }

    [Fact]
    public void An_undecodable_record_with_a_valid_checksum_is_corruption()
    {
        using var dir = new TempDir();
        var path = Journals.WriteSingleRecord(dir.Journal, CommandCodec.Json, "{\"$c\":\"no.such.command\"}"u8.ToArray());

        var error = OpenFails(dir);
        Assert.Equal(path, error.File);
        Assert.Equal(JournalFormat.HeaderSize, error.Offset);
        Assert.Contains("cannot be decoded", error.Message);
    }
}
