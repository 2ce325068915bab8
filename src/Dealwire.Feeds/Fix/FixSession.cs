using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Dealwire.Feeds.Fix;

/// <summary>Session-layer events of one <see cref="FixSession"/>, for health, logs and tests.</summary>
public sealed class FixSessionCounters
{
    public long Logons;
    public long ResendRequestsSent;
    public long ResendRequestsAnswered;
    public long GapFillsReceived;
    public long PossDupsIgnored;
    public long TestRequestsSent;
    public long HeartbeatsSent;
    public long MarketDataMessages;
}

/// <summary>
/// The initiator's side of one FIX 4.4 connection: Logon, Heartbeat and TestRequest, sequence checking with
/// ResendRequest on a gap, SequenceReset (gap fill and reset), Logout; market-data messages go to the
/// <see cref="MarketDataBook"/>. One instance serves one TCP connection; sequence numbers live in the
/// <see cref="FixSequenceStore"/> across connections. Transport-agnostic (a <see cref="Stream"/>), so the
/// session rules are unit-tested without sockets.
/// </summary>
/// <remarks>
/// A message above the expected sequence number is not applied: a ResendRequest for everything from the expected
/// number goes out once, and the counterparty's resent copies (PossDupFlag=Y) or its gap fill bring the session
/// back in order; prices arrive in order that way, never an older one after a newer one. We resend nothing of
/// our own: a ResendRequest from the counterparty is answered with a gap fill, since the only application message
/// we send, the MarketDataRequest, is sent anew after every Logon.
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The send gate is a SemaphoreSlim whose wait handle is never created: it holds nothing to release, and the session ends with its connection.")]
public sealed partial class FixSession(
    string sourceName, FixSourceOptions options, FixSequenceStore sequences, MarketDataBook book, Action<RawTick> emit, TimeProvider clock, ILogger logger)
{
    private readonly ILogger _logger = logger;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private Stream? _stream;
    private long _nextOut;
    private long _nextIn;
    private long _connectedAt;
    private long _lastReceivedAt;
    private long _lastSentAt;
    private long _resendAwaitedFrom;
    private long _testRequestOutstandingSince;
    private int _testRequests;

    public FixSessionCounters Counters { get; } = new();

    /// <summary>True between the counterparty's Logon and the end of the connection.</summary>
    public bool LoggedOn { get; private set; }

    /// <summary>Raised once when the counterparty's Logon arrives.</summary>
    public event Action? LoggedOnChanged;

    /// <summary>Runs the session on <paramref name="stream"/> until the connection ends; returns why it ended.</summary>
    public async Task<string> RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        _stream = stream;
        _nextOut = sequences.NextOutgoing;
        _nextIn = sequences.NextIncoming;
        _connectedAt = _lastReceivedAt = _lastSentAt = clock.GetTimestamp();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? timerReason = null;
        var timer = Task.Run(async () =>
        {
            try
            {
                timerReason = await KeepAliveAsync(end.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException ex)
            {
                timerReason = "send failed: " + ex.Message;
            }
            await end.CancelAsync().ConfigureAwait(false);
        }, CancellationToken.None);
        try
        {
            await SendLogonAsync(end.Token).ConfigureAwait(false);
            return await ReceiveLoopAsync(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), end.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return timerReason ?? "cancelled";
        }
        catch (IOException ex)
        {
            return "connection lost: " + ex.Message;
        }
        catch (FixFormatException ex)
        {
            return "garbled input: " + ex.Message;
        }
        finally
        {
            await end.CancelAsync().ConfigureAwait(false);
            await timer.ConfigureAwait(false);
            if (LoggedOn)
            {
                LoggedOn = false;
                LoggedOnChanged?.Invoke();
            }
        }
    }

    /// <summary>Sends a Logout (the server is stopping); the counterparty's Logout or the connection's close ends <see cref="RunAsync"/>.</summary>
    public Task LogoutAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(new FixMessage(FixMsgTypes.Logout).Add(FixTags.Text, text), cancellationToken);

    private async Task<string> ReceiveLoopAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (FixCodec.TryDecode(buffer, out var message, out var consumed))
            {
                buffer = buffer.Slice(consumed);
                _lastReceivedAt = clock.GetTimestamp();
                Interlocked.Exchange(ref _testRequestOutstandingSince, 0);
                var ended = await HandleAsync(message!, cancellationToken).ConfigureAwait(false);
                if (ended is not null)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    return ended;
                }
            }
            if (buffer.Length > FixCodec.MaxMessageBytes) throw new FixFormatException("A message longer than the limit.");
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) return LoggedOn ? "counterparty closed the connection" : "closed before Logon";
        }
    }

    /// <summary>Applies one message; returns the reason when it ends the session.</summary>
    private async Task<string?> HandleAsync(FixMessage message, CancellationToken cancellationToken)
    {
        var type = message.MsgType;
        var seq = message.SeqNum;
        if (type == FixMsgTypes.Logon && message.Get(FixTags.ResetSeqNumFlag) == "Y") _nextIn = seq;

        // SequenceReset moves the expected number without being checked against it (a Reset may come from anywhere;
        // a GapFill carries the first missing number).
        if (type == FixMsgTypes.SequenceReset)
        {
            var newSeq = message.GetLong(FixTags.NewSeqNo) ?? 0;
            var gapFill = message.Get(FixTags.GapFillFlag) == "Y";
            if (gapFill && seq > _nextIn) return await RequestResendAsync(seq, cancellationToken).ConfigureAwait(false);
            if (newSeq > _nextIn)
            {
                if (gapFill) Counters.GapFillsReceived++;
                LogSequenceReset(sourceName, gapFill ? "gap fill" : "reset", _nextIn, newSeq);
                SetNextIn(newSeq);
            }
            return null;
        }

        if (seq < _nextIn)
        {
            if (message.PossDup)
            {
                Counters.PossDupsIgnored++;
                return null;
            }
            var reason = $"MsgSeqNum too low, expecting {_nextIn} but received {seq}";
            await SendAsync(new FixMessage(FixMsgTypes.Logout).Add(FixTags.Text, reason), cancellationToken).ConfigureAwait(false);
            return reason;
        }

        if (seq > _nextIn)
        {
            // Session messages that cannot wait for the resend: the Logon itself, the counterparty's own
            // ResendRequest (answered first, per the specification), and its Logout.
            if (type == FixMsgTypes.Logon) await OnLogonAsync(message, cancellationToken).ConfigureAwait(false);
            else if (type == FixMsgTypes.ResendRequest) await AnswerResendAsync(message, cancellationToken).ConfigureAwait(false);
            else if (type == FixMsgTypes.Logout) return "counterparty logged out: " + (message.Get(FixTags.Text) ?? "");
            return await RequestResendAsync(seq, cancellationToken).ConfigureAwait(false);
        }

        SetNextIn(seq + 1);
        if (_resendAwaitedFrom != 0 && seq >= _resendAwaitedFrom) _resendAwaitedFrom = 0;
        switch (type)
        {
            case FixMsgTypes.Logon:
                await OnLogonAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            case FixMsgTypes.TestRequest:
                await SendAsync(new FixMessage(FixMsgTypes.Heartbeat).Add(FixTags.TestReqId, message.Get(FixTags.TestReqId) ?? ""), cancellationToken)
                    .ConfigureAwait(false);
                break;
            case FixMsgTypes.ResendRequest:
                await AnswerResendAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            case FixMsgTypes.Logout:
                await SendAsync(new FixMessage(FixMsgTypes.Logout), cancellationToken).ConfigureAwait(false);
                return "counterparty logged out: " + (message.Get(FixTags.Text) ?? "");
            case FixMsgTypes.Reject:
                LogReject(sourceName, message.Get(FixTags.RefSeqNum), message.Get(FixTags.Text));
                break;
            case FixMsgTypes.MarketDataRequestReject:
                LogRequestRejected(sourceName, message.Get(FixTags.MdReqRejReason), message.Get(FixTags.Text));
                break;
            case FixMsgTypes.MarketDataSnapshot or FixMsgTypes.MarketDataIncremental:
                Counters.MarketDataMessages++;
                book.Apply(message, clock.GetUtcNow().ToUnixTimeMilliseconds(), emit);
                break;
        }
        return null;
    }

    private async Task OnLogonAsync(FixMessage message, CancellationToken cancellationToken)
    {
        if (LoggedOn) return;
        LoggedOn = true;
        Counters.Logons++;
        LogLoggedOn(sourceName, message.SeqNum, _nextOut);
        LoggedOnChanged?.Invoke();
        await SendAsync(book.Request(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> RequestResendAsync(long received, CancellationToken cancellationToken)
    {
        if (_resendAwaitedFrom == _nextIn) return null; // asked already; the answer is on its way
        _resendAwaitedFrom = _nextIn;
        Counters.ResendRequestsSent++;
        LogGap(sourceName, _nextIn, received);
        await SendAsync(new FixMessage(FixMsgTypes.ResendRequest).Add(FixTags.BeginSeqNo, _nextIn).Add(FixTags.EndSeqNo, 0), cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    private async Task AnswerResendAsync(FixMessage request, CancellationToken cancellationToken)
    {
        var begin = request.GetLong(FixTags.BeginSeqNo) ?? 1;
        Counters.ResendRequestsAnswered++;
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One gap fill over the whole range: it carries the first requested number and says "next is ours".
            var fill = new FixMessage(FixMsgTypes.SequenceReset).Add(FixTags.GapFillFlag, "Y").Add(FixTags.NewSeqNo, _nextOut);
            await WriteAsync(fill, Math.Min(begin, _nextOut), possDup: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private Task SendLogonAsync(CancellationToken cancellationToken)
    {
        var logon = new FixMessage(FixMsgTypes.Logon).Add(FixTags.EncryptMethod, 0).Add(FixTags.HeartBtInt, options.HeartbeatSeconds);
        if (options.ResetOnLogon)
        {
            _nextOut = 1;
            SetNextIn(1);
            logon.Add(FixTags.ResetSeqNumFlag, "Y");
        }
        if (options.Username.Length > 0) logon.Add(FixTags.Username, options.Username);
        if (options.Password.Length > 0) logon.Add(FixTags.Password, options.Password);
        return SendAsync(logon, cancellationToken);
    }

    /// <summary>Heartbeat after our silence, TestRequest after the counterparty's, and the end of the connection if that goes on.</summary>
    private async Task<string> KeepAliveAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        var check = TimeSpan.FromMilliseconds(Math.Min(1000, interval.TotalMilliseconds / 4));
        while (true)
        {
            await Task.Delay(check, clock, cancellationToken).ConfigureAwait(false);
            if (!LoggedOn)
            {
                if (clock.GetElapsedTime(_connectedAt) > options.LogonTimeout)
                {
                    return $"no Logon from the counterparty within {options.LogonTimeout.TotalSeconds:0.#} s";
                }
                continue;
            }
            var silentFor = clock.GetElapsedTime(Volatile.Read(ref _lastReceivedAt));
            var outstanding = Interlocked.Read(ref _testRequestOutstandingSince);
            if (outstanding != 0 && clock.GetElapsedTime(outstanding) > interval)
            {
                return $"no answer to a TestRequest within {options.HeartbeatSeconds} s";
            }
            if (outstanding == 0 && silentFor > interval * 1.5)
            {
                Interlocked.Exchange(ref _testRequestOutstandingSince, clock.GetTimestamp());
                Counters.TestRequestsSent++;
                var id = "dealwire-test-" + (++_testRequests).ToString(CultureInfo.InvariantCulture);
                await SendAsync(new FixMessage(FixMsgTypes.TestRequest).Add(FixTags.TestReqId, id), cancellationToken).ConfigureAwait(false);
            }
            if (clock.GetElapsedTime(Volatile.Read(ref _lastSentAt)) >= interval)
            {
                Counters.HeartbeatsSent++;
                await SendAsync(new FixMessage(FixMsgTypes.Heartbeat), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(FixMessage message, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(message, _nextOut, possDup: false, cancellationToken).ConfigureAwait(false);
            _nextOut++;
            sequences.Save(_nextOut, _nextIn);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Adds the standard header and writes the message. Caller holds the send gate.</summary>
    private async Task WriteAsync(FixMessage message, long seq, bool possDup, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var wire = new FixMessage(message.MsgType)
            .Add(FixTags.SenderCompId, options.SenderCompId)
            .Add(FixTags.TargetCompId, options.TargetCompId)
            .Add(FixTags.MsgSeqNum, seq)
            .Add(FixTags.SendingTime, now.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture));
        if (possDup) wire.Add(FixTags.PossDupFlag, "Y").Add(FixTags.OrigSendingTime, now.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture));
        foreach (var (tag, value) in message.Fields)
        {
            if (tag != FixTags.MsgType) wire.Add(tag, value);
        }
        await _stream!.WriteAsync(FixCodec.Encode(wire), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastSentAt, clock.GetTimestamp());
    }

    private void SetNextIn(long next)
    {
        _nextIn = next;
        sequences.Save(_nextOut, _nextIn);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FIX source {Source}: logged on (their MsgSeqNum {TheirSeq}, our next {OurNext})")]
    private partial void LogLoggedOn(string source, long theirSeq, long ourNext);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIX source {Source}: sequence gap, expected {Expected} got {Received}; ResendRequest sent")]
    private partial void LogGap(string source, long expected, long received);

    [LoggerMessage(Level = LogLevel.Information, Message = "FIX source {Source}: SequenceReset ({Kind}) from {Expected} to {NewSeqNo}")]
    private partial void LogSequenceReset(string source, string kind, long expected, long newSeqNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIX source {Source}: session Reject of our message {RefSeqNum}: {Text}")]
    private partial void LogReject(string source, string? refSeqNum, string? text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FIX source {Source}: MarketDataRequest rejected (reason {Reason}): {Text}")]
    private partial void LogRequestRejected(string source, string? reason, string? text);
}
