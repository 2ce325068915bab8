using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Limits;

namespace Dealwire.Gateway.Framing;

/// <summary>
/// What a line protocol does with what <see cref="LineReadLoop"/> finds on one connection. Every member that returns a
/// string returns the reason to close the connection (logged by the protocol with the close), or null to read on.
/// </summary>
internal interface ILineConsumer
{
    /// <summary>The heartbeat: how long the connection may stay silent; null when it may stay silent for ever.</summary>
    TimeSpan? IdleLimit { get; }

    /// <summary>A deadline expired (<see cref="DeadlineKind.None"/>: the idle limit, or a wake-up with nothing expired).</summary>
    ValueTask<string?> DeadlineExpiredAsync(DeadlineKind expired);

    /// <summary>
    /// A line longer than the limit, once per such line: when its end arrives (<paramref name="ended"/>), or as soon as
    /// what has arrived of it is already over the limit, in which case the rest of it is skipped as it arrives. Null skips it.
    /// </summary>
    ValueTask<string?> OverlongAsync(bool ended);

    /// <summary>One complete line within the limit, without its terminator (blank ones too: a feeder counts them).</summary>
    ValueTask<string?> LineAsync(ReadOnlySequence<byte> line);

    /// <summary>The listener's budget for partially received lines would be exceeded: answers the client, returns the reason.</summary>
    ValueTask<string> PartialBudgetExceededAsync(string reason);

    /// <summary>After each read's lines: a reason when the session was ended meanwhile (by the fan-out, a key watch, a limit).</summary>
    string? AfterRead();

    /// <summary>The reason when the peer has sent its last byte ("client closed").</summary>
    string InputEnded { get; }
}

/// <summary>
/// The read side of every line protocol's connection (Server API, Manager API, JSON trader socket, feeder): reads the
/// pipe under the connection's deadlines, frames lines with <see cref="LineFramer"/>, reports an over-long line once and skips the rest of it, holds the unfinished line against the listener's
/// budget and its line deadline, and hands each line to the protocol. Returns why the connection ends.
/// </summary>
internal static class LineReadLoop
{
    public static async Task<string> RunAsync(PipeReader input, int maxLineBytes, ConnectionDeadlines deadlines, PartialLineBudget.Holding partial,
        ILineConsumer consumer)
    {
        // Inside an over-long line already reported: its bytes are dropped up to its end.
        var skipping = false;
        while (true)
        {
            deadlines.Arm(consumer.IdleLimit);
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadlines.Token);
            }
            catch (OperationCanceledException)
            {
                if (deadlines.IsStopping) return "server shutting down";
                if (await consumer.DeadlineExpiredAsync(deadlines.Expired()) is { } expired) return expired;
                continue;
            }
            // A canceled read is the session ending itself (it woke the loop to say so).
            if (result.IsCanceled) return consumer.AfterRead() ?? "closed";

            var buffer = result.Buffer;
            var completedLine = false;
            string? close = null;
            while (close is null)
            {
                var status = LineFramer.TryReadLine(ref buffer, maxLineBytes, out var line);
                if (status == FrameStatus.NeedMore) break;
                if (status == FrameStatus.TooLongPending)
                {
                    if (!skipping) close = await consumer.OverlongAsync(ended: false);
                    skipping = true;
                    buffer = buffer.Slice(buffer.End);
                    break;
                }
                completedLine = true;
                if (skipping)
                {
                    skipping = false;
                    continue;
                }
                if (status == FrameStatus.TooLong) close = await consumer.OverlongAsync(ended: true);
                else close = await consumer.LineAsync(line);
            }
            if (close is not null)
            {
                input.AdvanceTo(result.Buffer.End);
                return close;
            }
            // What is left is the start of a line: it counts against the listener's budget and its deadline.
            if (!partial.TryHold(buffer.Length))
            {
                input.AdvanceTo(result.Buffer.End);
                return await consumer.PartialBudgetExceededAsync(
                    $"partially received lines of all connections would exceed {partial.Limit} bytes (MaxPartialLineBytes)");
            }
            // A line being skipped still has to end in time, though its bytes are no longer held.
            deadlines.LineProgress(skipping ? Math.Max(1, buffer.Length) : buffer.Length, completedLine);
            input.AdvanceTo(buffer.Start, buffer.End);
            if (consumer.AfterRead() is { } ended) return ended;
            if (result.IsCompleted) return consumer.InputEnded;
        }
    }
}
