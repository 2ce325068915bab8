using Dealwire.Engine.Commands;
using Dealwire.Persistence.Journal;
using Xunit;

namespace Dealwire.Cluster.Tests;

/// <summary>The bytes one Raft entry carries: the journal's own records, checked by the journal's checksums.</summary>
public sealed class BatchPayloadTests
{
    private static AdvanceTime Stamped(long sequence, long time)
    {
        var command = new AdvanceTime { Actor = AdvanceTime.ClockActor };
        command.Stamp(sequence, time);
        return command;
    }

    [Fact]
    public void Commands_round_trip_with_their_sequence_and_time()
    {
        var payload = BatchPayload.Encode([Stamped(41, 1_700_000_000_000), Stamped(42, 1_700_000_000_005)]);

        var commands = BatchPayload.Decode(payload);

        Assert.Equal(41, BatchPayload.FirstSequence(payload));
        Assert.Equal([41L, 42L], commands.Select(c => c.Sequence));
        Assert.Equal([1_700_000_000_000L, 1_700_000_000_005L], commands.Select(c => c.Time));
        Assert.All(commands, c => Assert.IsType<AdvanceTime>(c));
    }

    [Fact]
    public void An_empty_payload_is_a_term_marker_without_commands()
    {
        var payload = BatchPayload.Encode([]);

        Assert.Empty(BatchPayload.Decode(payload));
        Assert.Equal(0, BatchPayload.FirstSequence(payload));
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum()
    {
        var payload = BatchPayload.Encode([Stamped(7, 1_700_000_000_000)]);
        payload[^1] ^= 0x55;

        var error = Assert.Throws<FormatException>(() => BatchPayload.Decode(payload));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void A_torn_record_is_refused()
    {
        var payload = BatchPayload.Encode([Stamped(7, 1_700_000_000_000)]);

        Assert.Throws<FormatException>(() => BatchPayload.Decode(payload.AsSpan(0, payload.Length - 1)));
    }
}
