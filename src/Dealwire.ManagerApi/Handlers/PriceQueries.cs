using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary><c>get_last_prices</c> (raw feed prices; group markups are listed as markup profiles) and <c>get_collaterals</c>.</summary>
internal static class PriceQueries
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["get_last_prices"] = new HandlerEntry(Replies.LastPrices, false, GetLastPrices);
        map["get_collaterals"] = new HandlerEntry(Replies.Collaterals, true, GetCollaterals);
    }

    private static async Task GetLastPrices(ManagerSession session, Request request)
    {
        var symbol = request.OptionalString("asset_pair");
        var mask = session.Mask;
        var prices = await session.ReadAsync(r =>
        {
            var views = new ViewReader(r, mask);
            return r.GetSymbols()
                .Where(s => PositionQueries.SymbolMatches(s.Name, symbol))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .Select(views.Price)
                .OfType<PriceView>()
                .ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.LastPrices, prices, TradingModels.WritePrice));
    }

    private static async Task GetCollaterals(ManagerSession session, Request request)
    {
        var id = request.OptionalString("collateral_id");
        var settings = await session.ReadAsync(TradingSettings.Read);
        var collaterals = settings.Collaterals.Where(c => id is null || string.Equals(c.Currency, id, StringComparison.OrdinalIgnoreCase)).ToList();
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.Collaterals, collaterals, SettingsModels.WriteCollateral));
    }
}
