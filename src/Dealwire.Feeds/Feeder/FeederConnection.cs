using System.IO.Pipelines;
using Dealwire.Feeds.Sources;

namespace Dealwire.Feeds.Feeder;

/// <summary>What the feeder endpoint knows of one connection. Used by that connection's read loop only, which is also its only writer.</summary>
internal sealed class FeederConnection(PipeWriter output)
{
    public FeederKey? Key { get; set; }

    public FeedSource? Source { get; set; }

    public SourceTickTarget? Target { get; set; }

    /// <summary>1-based number of the line being handled, quoted in error lines.</summary>
    public long LineNumber { get; set; }

    public long Ticks { get; set; }

    public long Errors { get; private set; }

    public ValueTask ErrorAsync(string code, string message)
    {
        Errors++;
        return SendAsync(FeederErrors.Line(code, message, LineNumber));
    }

    public async ValueTask SendAsync(byte[] line) => await output.WriteAsync(line);
}
