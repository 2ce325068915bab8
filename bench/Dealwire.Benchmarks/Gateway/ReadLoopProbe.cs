using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Dealwire.Gateway.Framing;
using Dealwire.Gateway.Limits;

namespace Dealwire.Benchmarks.Gateway;

/// <summary>
/// One read of <see cref="Lines"/> Server API command lines, framed by <see cref="LineFramer"/> alone and through the
/// gateway's <see cref="LineReadLoop"/> (deadlines armed, the partial-line budget, a consumer per line): the difference
/// is what the shared loop costs a line. The pipe is filled before the loop reads, so everything runs on the caller's thread.
/// </summary>
internal sealed class ReadLoopProbe : ILineConsumer
{
    public const int Lines = 64;

    private readonly byte[] _read;
    private readonly ConnectionDeadlines _deadlines = new(new Limits(), TimeProvider.System, CancellationToken.None);
    private readonly PartialLineBudget.Holding _partial = new PartialLineBudget(16 << 20).Open();
    private long _seen;

    public ReadLoopProbe()
    {
        var line = """{"__token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl","cmd":"MngOpenTrade","extID":"42","data":{"login":1000,"symbol":"EURUSD","cmd":0,"volume":10}}""" + "\r\n";
        _read = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, Lines)));
    }

    public void FrameOnly()
    {
        var input = Filled();
        var result = input.ReadAsync().AsTask().GetAwaiter().GetResult();
        var buffer = result.Buffer;
        while (LineFramer.TryReadLine(ref buffer, 1 << 20, out var line) == FrameStatus.Line)
        {
            if (!LineFramer.IsBlank(line)) _seen += line.FirstSpan[0];
        }
        input.AdvanceTo(buffer.Start, buffer.End);
        input.Complete();
    }

    public void ThroughLoop()
    {
        var input = Filled();
        LineReadLoop.RunAsync(input, 1 << 20, _deadlines, _partial, this).GetAwaiter().GetResult();
        input.Complete();
    }

    private PipeReader Filled()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        pipe.Writer.Write(_read);
        pipe.Writer.Complete();
        return pipe.Reader;
    }

    public TimeSpan? IdleLimit => null;

    public string InputEnded => "client closed";

    public ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired) => ValueTask.FromResult<string?>("expired");

    public ValueTask<string?> OverlongAsync(bool ended) => ValueTask.FromResult<string?>("too long");

    public ValueTask<string?> LineAsync(ReadOnlySequence<byte> line)
    {
        if (!LineFramer.IsBlank(line)) _seen += line.FirstSpan[0];
        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask<string> PartialBudgetExceededAsync(string reason) => ValueTask.FromResult(reason);

    public string? AfterRead() => null;

    private sealed class Limits : IListenerLimits
    {
        public int MaxConnections => 1;
        public TimeSpan AuthenticationTimeout => TimeSpan.FromHours(1);
        public TimeSpan LineCompletionTimeout => TimeSpan.FromHours(1);
        public long MaxPartialLineBytes => 16 << 20;
    }
}
