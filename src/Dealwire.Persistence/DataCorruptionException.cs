namespace Dealwire.Persistence;

/// <summary>
/// The data directory is damaged in a way recovery must not paper over (a bad record before the tail, a
/// sequence gap, a missing segment, a snapshot the journal does not reach). Names the file and offset.
/// </summary>
public sealed class DataCorruptionException : IOException
{
    public DataCorruptionException(string file, long offset, string reason)
        : base($"{reason} (file '{file}', offset {offset}). The data directory needs attention: restore it from a backup, or move the damaged file aside if you accept losing what it holds.")
    {
        File = file;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Full path of the damaged file (or of the directory, for a missing file).</summary>
    public string File { get; }

    /// <summary>Byte offset of the damage in <see cref="File"/>; 0 when the whole file is concerned.</summary>
    public long Offset { get; }

    public string Reason { get; }
}
