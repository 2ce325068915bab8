namespace Dealwire.ReadModel.History;

/// <summary>A write did not start right after the stored sequence: another writer moved it, or a batch was skipped.</summary>
public sealed class HistorySequenceException(long first, long stored)
    : InvalidOperationException($"history store is at sequence {stored}; a write starting at {first} does not follow it")
{
    public long Stored { get; } = stored;
}
