using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary><c>get_accounts</c>: by trader and/or account. A trader's accounts are the account of the same login.</summary>
internal static class AccountQueries
{
    public static void Register(Dictionary<string, HandlerEntry> map) =>
        map["get_accounts"] = new HandlerEntry(Replies.Accounts, false, GetAccounts);

    private static async Task GetAccounts(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var mask = session.Mask;
        var accounts = await session.ReadAsync(r =>
        {
            var views = new ViewReader(r, mask);
            if (login == Logins.Nobody) return [];
            if (login is { } one) return views.Account(one) is { } a ? [a] : new List<AccountView>();
            return views.Accounts().OrderBy(a => a.Login).ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Accounts, accounts, TradingModels.WriteAccount));
    }
}

/// <summary>The login a request's <c>trader_id</c> / <c>account_id</c> filters select.</summary>
internal static class Logins
{
    /// <summary>Contradicting filters (trader and account of different logins) or an unknown id select no account.</summary>
    public const long Nobody = ManagerIds.NoSuchEntity;

    public static long? Filter(Request request)
    {
        var trader = request.OptionalId("trader_id", EntityKind.Trader);
        var account = request.OptionalId("account_id", EntityKind.Account);
        if (trader == ManagerIds.NoSuchEntity || account == ManagerIds.NoSuchEntity) return Nobody;
        if (trader is not null && account is not null && trader != account) return Nobody;
        return account ?? trader;
    }
}
