using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// GetCrossPairSymbols (scaletrade-tcp §7.6, body undocumented): for each symbol and each account currency of the
/// caller's groups, the chains the engine converts profit and margin with (<see cref="CurrencyGraph"/>): each leg
/// names its symbol, the price side and the operation. <c>available</c> 0 = no chain: trades are refused off quotes.
/// </summary>
internal static class CrossPairCommands
{
    public static void Register(CommandTable table) => table.Add("GetCrossPairSymbols", GetCrossPairSymbols);

    private static async ValueTask<Reply> GetCrossPairSymbols(CommandContext c)
    {
        var only = c.Data.OptionalString("symbol", 32);
        var currencyFilter = c.Data.OptionalString("currency", 8);
        var (symbols, currencies) = await c.ReadAsync(v =>
        {
            var all = v.GetSymbols().ToList();
            // A trader sees its own account's currency; staff the currencies of the groups in their mask.
            var own = c.Identity.Type == Security.SessionType.User ? v.GroupOf(c.Identity.Id) : null;
            var visible = v.GetGroups().Where(g => own is not null ? g.Name == own : c.Scope.CanSeeGroup(g.Name)).Select(g => g.Currency);
            return (all, visible.Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        });
        if (only is not null && !symbols.Any(s => s.Name == only)) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {only} not found");
        if (currencyFilter is not null) currencies = [currencyFilter];
        var graph = new CurrencyGraph(symbols);
        var rows = new List<(SymbolConfig Symbol, string Currency)>();
        foreach (var s in symbols.Where(s => only is null || s.Name == only).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            foreach (var currency in currencies) rows.Add((s, currency));
        }

        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            foreach (var (s, currency) in rows)
            {
                var profit = graph.Find(s.ProfitCurrency, currency);
                var margin = graph.Find(s.EffectiveMarginCurrency, currency);
                w.WriteStartObject();
                w.WriteString("symbol", s.Name);
                w.WriteString("currency", currency);
                w.WriteString("profit_currency", s.ProfitCurrency);
                WriteChain(w, "profit_chain", profit);
                w.WriteString("margin_currency", s.EffectiveMarginCurrency);
                WriteChain(w, "margin_chain", margin);
                w.WriteNumber("available", profit is not null && margin is not null ? 1 : 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("count", rows.Count);
            w.WriteEndObject();
        });
    }

    private static void WriteChain(Utf8JsonWriter w, string name, IReadOnlyList<ConversionLeg>? chain)
    {
        if (chain is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        foreach (var leg in chain)
        {
            w.WriteStartObject();
            w.WriteString("symbol", leg.Symbol);
            w.WriteString("price", leg.Inverse ? "ask" : "bid");
            w.WriteString("operation", leg.Inverse ? "divide" : "multiply");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
