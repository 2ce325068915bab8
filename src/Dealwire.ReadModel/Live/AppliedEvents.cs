using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// One applied batch's events with the accounts they name, as the view held them right after the batch (an account the
/// batch deleted or moved as it was before it): what a protocol's fan-out hands from the view's apply task to its own
/// dispatcher, which then renders and routes the events without a directory of its own and without reading a view that
/// has moved on since.
/// </summary>
public sealed record AppliedEvents(EngineEvent[] Events, Dictionary<long, AccountSnapshot> Accounts)
{
    /// <summary>Copies <paramref name="events"/> and looks up their accounts; call it from <see cref="ILiveObserver.OnApplied"/>.</summary>
    public static AppliedEvents Capture(ILiveView view, IReadOnlyList<EngineEvent> events)
    {
        var accounts = new Dictionary<long, AccountSnapshot>();
        foreach (var e in events)
        {
            var login = e switch
            {
                TradeEvent t => t.Trade.Login,
                BalanceEvent b => b.Entry.Login,
                ActivationRejectedEvent r => r.Order.Login,
                AccountEvent a => a.Account.Profile.Login,
                _ => 0,
            };
            if (login == 0 || accounts.ContainsKey(login)) continue;
            if ((view.GetAccount(login) ?? view.BeforeBatch(login)) is { } account) accounts[login] = account;
        }
        return new AppliedEvents(events.ToArray(), accounts);
    }
}
