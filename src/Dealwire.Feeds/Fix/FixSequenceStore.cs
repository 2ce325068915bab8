using System.Globalization;
using System.Text;

namespace Dealwire.Feeds.Fix;

/// <summary>
/// The session's sequence numbers, kept in <c>fix/&lt;source&gt;.seqnums</c> of the data directory so a restart
/// logs on where the last run stopped (the counterparty would otherwise see a reset it did not ask for). One
/// fixed-width line "next-outgoing next-incoming", rewritten in place on each change: one write call, no fsync;
/// after a crash the counterparty's resend request or ours closes whatever gap is left.
/// </summary>
public sealed class FixSequenceStore : IDisposable
{
    private const int Width = 20;
    private readonly FileStream _file;
    private readonly byte[] _line = new byte[Width * 2 + 2];

    public FixSequenceStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        FilePath = path;
        NextOutgoing = 1;
        NextIncoming = 1;
        if (_file.Length > 0)
        {
            using var reader = new StreamReader(_file, Encoding.ASCII, false, 256, leaveOpen: true);
            var parts = reader.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var outgoing)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var incoming)
                || outgoing < 1 || incoming < 1)
            {
                throw new InvalidDataException($"FIX sequence file {path} is damaged; delete it to start the session at 1 (agree a reset with the counterparty).");
            }
            (NextOutgoing, NextIncoming) = (outgoing, incoming);
        }
    }

    public string FilePath { get; }

    /// <summary>MsgSeqNum of the next message we send.</summary>
    public long NextOutgoing { get; private set; }

    /// <summary>MsgSeqNum we expect next from the counterparty.</summary>
    public long NextIncoming { get; private set; }

    public void Save(long nextOutgoing, long nextIncoming)
    {
        if (nextOutgoing == NextOutgoing && nextIncoming == NextIncoming) return;
        (NextOutgoing, NextIncoming) = (nextOutgoing, nextIncoming);
        var text = $"{nextOutgoing.ToString(CultureInfo.InvariantCulture).PadLeft(Width)} {nextIncoming.ToString(CultureInfo.InvariantCulture).PadLeft(Width)}\n";
        var length = Encoding.ASCII.GetBytes(text, _line);
        _file.Position = 0;
        _file.Write(_line, 0, length);
        _file.SetLength(length);
        _file.Flush();
    }

    public void Dispose() => _file.Dispose();
}
