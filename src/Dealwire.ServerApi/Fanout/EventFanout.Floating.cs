using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Fanout;

/// <summary>
/// <c>balance:event</c> while profit floats (issue #15): the engine's figures rounds (<see cref="AccountFiguresEvent"/>,
/// at most once per <c>Engine:FiguresIntervalMs</c> of engine time, default 200 ms, and only for accounts whose
/// figures moved) go to the staff sessions whose mask covers the account's group, as the margin-level update they
/// already get on balance changes. So the cadence is bounded by the engine, not by the tick rate, and the last
/// value of a quiet account is never held back. An account that already got a balance:event in the same batch
/// (a deposit, a level change) is not sent twice. Traders keep theirs on balance and level changes only.
/// </summary>
internal sealed partial class EventFanout
{
    private readonly HashSet<long> _balanceSent = new();

    private void PublishFloating(AccountFiguresEvent figures)
    {
        foreach (var margin in figures.Accounts)
        {
            if (_balanceSent.Contains(margin.Login)) continue;
            byte[]? frame = null;
            foreach (var session in sessions.StaffOf(margin.Group))
            {
                // Serialized once, and only when someone is listening.
                frame ??= BalanceFrame(margin);
                Send(session, frame);
            }
        }
    }
}
