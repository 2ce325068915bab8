using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Fanout;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Dealwire.ServerApi.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// A Sync trade command's answer is its <c>trade:event</c>'s data (scaletrade-tcp §5.2). The dispatcher and the fan-out
/// share one <see cref="TradeJsonCache"/>: whichever frame is built second copies the record's bytes out of the first,
/// and the two carry byte-identical data either way round. Where escaping moved the first frame's bytes, or the two
/// frames mark prices up for different groups, the second serializes the record itself.
/// </summary>
public sealed class SyncAnswerSharingTests
{
    private const long Login = 1001;

    private readonly SessionRegistry _sessions = new();
    private readonly TradeJsonCache _json = new();
    private readonly EventFanout _fanout;

    public SyncAnswerSharingTests() => _fanout = new EventFanout(_sessions, new LiveView(), NullLogger<EventFanout>.Instance, _json);

    [Fact]
    public async Task The_answer_built_after_the_event_copies_its_data()
    {
        var trade = Trade(1, "opened");
        var ev = await EventAsync(trade);
        var answer = Answer(trade, null);
        Assert.Equal(1, _json.Serialized);
        Assert.Equal(DataOf(ev), DataOf(answer));
        Assert.Contains("\"comment\":\"opened\"", DataOf(answer));
    }

    [Fact]
    public async Task The_event_built_after_the_answer_copies_its_data()
    {
        var trade = Trade(2, "closed");
        var answer = Answer(trade, null);
        var ev = await EventAsync(trade);
        Assert.Equal(1, _json.Serialized);
        Assert.Equal(DataOf(answer), DataOf(ev));
    }

    [Fact]
    public async Task A_frame_whose_bytes_escaping_moved_is_not_copied_and_both_stay_escaped()
    {
        var trade = Trade(3, "it's");
        var ev = await EventAsync(trade);
        var answer = Answer(trade, null);
        Assert.Equal(2, _json.Serialized);
        Assert.Equal(DataOf(ev), DataOf(answer));
        Assert.Contains("\"comment\":\"it\\u0027s\"", DataOf(answer));
        Assert.DoesNotContain("'", Encoding.UTF8.GetString(answer));
    }

    [Fact]
    public async Task Another_group_or_another_record_is_serialized_again()
    {
        var trade = Trade(4, "x");
        await EventAsync(trade);
        var vip = Answer(trade, "vip");
        Assert.Equal(2, _json.Serialized);
        Assert.EndsWith(",\"group\":\"vip\"}", DataOf(vip));

        // An equal record that is another object (another command's result) is not taken for this one.
        var twin = trade with { };
        var answer = Answer(twin, null);
        Assert.Equal(3, _json.Serialized);
        Assert.DoesNotContain("\"group\"", DataOf(answer));
    }

    private static TradeRecord Trade(long ticket, string comment) => new()
    {
        Ticket = ticket, Login = Login, Symbol = "EURUSD", Digits = 5, Volume = 100, OpenPrice = 1.10002m, Comment = comment,
        OpenTime = 1_767_225_600_000, MarginInitial = 11.00m, OpenRate = 1,
    };

    /// <summary>The frame the fan-out sends the account's trader (a connection of its own, drained once).</summary>
    private async Task<byte[]> EventAsync(TradeRecord trade)
    {
        var trader = SessionsWithoutSocket.Connect(_sessions, new SessionIdentity { Type = SessionType.User, Id = Login });
        _fanout.OnEvents([new TradeEvent(RecordChange.Add, trade)]);
        _sessions.Remove(trader);
        trader.Outbound.Complete();
        var pipe = new Pipe();
        await trader.Outbound.RunWriterAsync(pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        return read.Buffer.ToArray();
    }

    /// <summary>The frame the dispatcher writes for a Sync command's answer.</summary>
    private byte[] Answer(TradeRecord trade, string? group)
    {
        using var request = Envelope.Parse(new ReadOnlySequence<byte>("""{"command":"MngOpenTradeSync","extID":"a1","data":{}}"""u8.ToArray()), out _);
        return Dispatcher.ReplyFrame(request, new TradeReplies().Record(trade, group, _json));
    }

    /// <summary>The value of the frame's <c>data</c> member, as raw text (it is the frame's last member).</summary>
    private static string DataOf(byte[] frame)
    {
        var text = Encoding.UTF8.GetString(frame);
        Assert.EndsWith("}\r\n", text);
        var at = text.IndexOf("\"data\":", StringComparison.Ordinal) + "\"data\":".Length;
        return text[at..^3];
    }
}
