using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// A real engine driven the way the runner drives it (stamped sequence and time), cutting what it applied into
/// <see cref="CommittedBatch"/>es exactly as the committed stream carries them: the demo set-up, then the test's commands.
/// </summary>
internal sealed class EngineStream
{
    public static readonly long Monday10 = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly List<EngineCommand> _commands = new();
    private readonly List<EngineEvent> _events = new();

    public EngineStream()
    {
        foreach (var c in DemoDefaults.Commands()) Ok(c);
    }

    public TradingEngine Engine { get; } = new();

    public long Time { get; set; } = Monday10;

    public (ReturnCode Code, object? Value) Apply(EngineCommand command)
    {
        command.Stamp(Engine.LastSequence + 1, Time);
        var (code, _, value) = Engine.Execute(command);
        if (Engine.LastSequence == command.Sequence)
        {
            _commands.Add(command);
            _events.AddRange(Engine.LastEvents);
        }
        return (code, value);
    }

    public T Ok<T>(EngineCommand<T> command)
    {
        var (code, value) = Apply(command);
        Assert.True(code is ReturnCode.Ok or ReturnCode.OkNone, $"{command.GetType().Name} failed: {code}");
        return (T)value!;
    }

    public void Ok(EngineCommand command)
    {
        var (code, _) = Apply(command);
        Assert.True(code is ReturnCode.Ok or ReturnCode.OkNone, $"{command.GetType().Name} failed: {code}");
    }

    public void Tick(string symbol, decimal bid, decimal ask)
    {
        Time += 1;
        Ok(new ApplyTick(symbol, bid, ask, Time));
    }

    /// <summary>An EURUSD tick at <paramref name="time"/> (ask two pips above): candle tests place ticks to the millisecond.</summary>
    public void TickAt(long time, decimal bid)
    {
        Time = time;
        Ok(new ApplyTick("EURUSD", bid, bid + 0.0002m, time));
    }

    public long Account(decimal deposit, string group = "demo") =>
        Ok(new CreateAccount(new AccountProfile { Group = group, Name = "Test" }) { InitialDeposit = deposit }).Profile.Login;

    /// <summary>Everything applied since the last cut, as one batch (null when nothing was applied).</summary>
    public CommittedBatch? Cut()
    {
        if (_commands.Count == 0) return null;
        var batch = new CommittedBatch(_commands[0].Sequence, _commands[^1].Sequence, _commands.ToArray(), _events.ToArray());
        _commands.Clear();
        _events.Clear();
        return batch;
    }
}
