using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Wire;

/// <summary>GroupRecord on the wire (scaletrade-model §4.10, tcp §7.7): secgroups / secmargins as arrays.</summary>
internal static class GroupWire
{
    /// <param name="symbolGroups">the symbol-group catalogue, for the name and description each secgroups row carries</param>
    public static void Write(Utf8JsonWriter w, GroupConfig g, IReadOnlyDictionary<int, SymbolGroupConfig> symbolGroups)
    {
        w.WriteStartObject();
        w.WriteString("group", g.Name);
        w.WriteString("company", g.Company);
        w.WriteString("brand", g.Brand);
        w.WriteString("currency", g.Currency);
        w.WriteNumber("currency_digits", g.CurrencyDigits);
        w.WriteNumber("enable", g.Enabled ? 1 : 0);
        w.WriteNumber("account_mode", g.IsReal ? 1 : 0);
        w.WriteNumber("default_leverage", g.DefaultLeverage);
        w.WriteNumber("default_deposit", g.DefaultDeposit);
        w.WriteNumber("margin_call", g.MarginCall);
        w.WriteNumber("margin_stopout", g.StopOut);
        w.WriteNumber("margin_type", (int)g.MarginLevelUnit);
        w.WriteNumber("margin_mode", (int)g.FreeMarginMode);
        w.WriteNumber("hedge_prohibited", g.Accounting == PositionAccounting.Netting ? 1 : 0);
        w.WriteNumber("hedge_largeleg", g.HedgeLargeLeg ? 1 : 0);
        w.WriteNumber("stopout_skip_hedged", g.StopOutSkipHedged ? 1 : 0);
        w.WriteNumber("so_compensation", (int)g.NegativeBalancePolicy);
        w.WriteNumber("partial_close", g.PartialCloseAllowed ? 1 : 0);
        w.WriteNumber("use_swap", g.UseSwap ? 1 : 0);
        w.WriteNumber("maxpositions", g.MaxPositions);
        w.WriteNumber("allow_sl_tp_slippage", g.SlTpSlippage ? 1 : 0);
        FixedFields.Group.Write(w);
        // null = not configured (every symbol group, default settings); [] = none. Written as they are, so a
        // group read and sent back through UpdateGroup keeps its meaning.
        if (g.Securities is null) w.WriteNull("secgroups");
        else WriteSecurities(w, g.Securities, symbolGroups);
        w.WriteStartArray("secmargins");
        foreach (var o in g.SymbolOverrides)
        {
            w.WriteStartObject();
            w.WriteString("symbol", o.Symbol);
            if (o.SwapEnabled is { } swapEnabled) w.WriteNumber("swap_enable", swapEnabled ? 1 : 0);
            if (o.SwapLong is { } swapLong) w.WriteNumber("swap_long", swapLong);
            if (o.SwapShort is { } swapShort) w.WriteNumber("swap_short", swapShort);
            if (o.MarginDivider is { } divider) w.WriteNumber("margin_divider", divider);
            w.WriteNumber("spread_enable", o.FixedSpread is null ? 0 : 1);
            w.WriteNumber("spread", o.FixedSpread ?? 0);
            w.WriteNumber("spread_balance", o.SpreadBalance);
            w.WriteNumber("bid_markup", o.BidMarkup);
            w.WriteNumber("ask_markup", o.AskMarkup);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSecurities(Utf8JsonWriter w, IReadOnlyList<GroupSecurity> securities,
        IReadOnlyDictionary<int, SymbolGroupConfig> symbolGroups)
    {
        w.WriteStartArray("secgroups");
        foreach (var s in securities)
        {
            w.WriteStartObject();
            w.WriteNumber("sec_index", s.SecurityIndex);
            // A row may name a symbol group that was deleted since: its name is then empty.
            var symbolGroup = symbolGroups.GetValueOrDefault(s.SecurityIndex);
            w.WriteString("name", symbolGroup?.Name ?? "");
            w.WriteString("description", symbolGroup?.Description ?? "");
            w.WriteNumber("show", s.Show ? 1 : 0);
            w.WriteNumber("trade", s.TradeAllowed ? 1 : 0);
            w.WriteNumber("lot_min", s.LotMin);
            w.WriteNumber("lot_max", s.LotMax);
            w.WriteNumber("lot_step", s.LotStep);
            w.WriteNumber("spread_diff", s.SpreadDiff);
            w.WriteNumber("comm_base", s.Commission);
            w.WriteNumber("comm_type", (int)s.CommissionType);
            w.WriteNumber("comm_lots", (int)s.CommissionBase);
            w.WriteNumber("comm_charge", (int)s.CommissionCharge);
            w.WriteNumber("comm_agent", s.AgentCommission);
            w.WriteNumber("comm_agent_type", (int)s.AgentCommissionType);
            w.WriteNumber("comm_agent_lots", (int)s.AgentCommissionBase);
            w.WriteNumber("trade_rights", s.TradeRights);
            FixedFields.Security.Write(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
