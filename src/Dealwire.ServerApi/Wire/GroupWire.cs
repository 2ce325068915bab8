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
        w.WriteString("group"u8, g.Name);
        w.WriteString("company"u8, g.Company);
        w.WriteString("brand"u8, g.Brand);
        w.WriteString("currency"u8, g.Currency);
        w.WriteNumber("currency_digits"u8, g.CurrencyDigits);
        w.WriteNumber("enable"u8, g.Enabled ? 1 : 0);
        w.WriteNumber("account_mode"u8, g.IsReal ? 1 : 0);
        w.WriteNumber("default_leverage"u8, g.DefaultLeverage);
        w.WriteNumber("default_deposit"u8, g.DefaultDeposit);
        w.WriteNumber("margin_call"u8, g.MarginCall);
        w.WriteNumber("margin_stopout"u8, g.StopOut);
        w.WriteNumber("margin_type"u8, (int)g.MarginLevelUnit);
        w.WriteNumber("margin_mode"u8, (int)g.FreeMarginMode);
        w.WriteNumber("hedge_prohibited"u8, g.Accounting == PositionAccounting.Netting ? 1 : 0);
        w.WriteNumber("hedge_largeleg"u8, g.HedgeLargeLeg ? 1 : 0);
        w.WriteNumber("stopout_skip_hedged"u8, g.StopOutSkipHedged ? 1 : 0);
        w.WriteNumber("so_compensation"u8, (int)g.NegativeBalancePolicy);
        w.WriteNumber("partial_close"u8, g.PartialCloseAllowed ? 1 : 0);
        w.WriteNumber("use_swap"u8, g.UseSwap ? 1 : 0);
        w.WriteNumber("maxpositions"u8, g.MaxPositions);
        w.WriteNumber("allow_sl_tp_slippage"u8, g.SlTpSlippage ? 1 : 0);
        FixedFields.Group.Write(w);
        // null = not configured (every symbol group, default settings); [] = none. Written as they are, so a
        // group read and sent back through UpdateGroup keeps its meaning.
        if (g.Securities is null) w.WriteNull("secgroups"u8);
        else WriteSecurities(w, g.Securities, symbolGroups);
        w.WriteStartArray("secmargins"u8);
        foreach (var o in g.SymbolOverrides)
        {
            w.WriteStartObject();
            w.WriteString("symbol"u8, o.Symbol);
            if (o.SwapEnabled is { } swapEnabled) w.WriteNumber("swap_enable"u8, swapEnabled ? 1 : 0);
            if (o.SwapLong is { } swapLong) w.WriteNumber("swap_long"u8, swapLong);
            if (o.SwapShort is { } swapShort) w.WriteNumber("swap_short"u8, swapShort);
            if (o.MarginDivider is { } divider) w.WriteNumber("margin_divider"u8, divider);
            w.WriteNumber("spread_enable"u8, o.FixedSpread is null ? 0 : 1);
            w.WriteNumber("spread"u8, o.FixedSpread ?? 0);
            w.WriteNumber("spread_balance"u8, o.SpreadBalance);
            w.WriteNumber("bid_markup"u8, o.BidMarkup);
            w.WriteNumber("ask_markup"u8, o.AskMarkup);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSecurities(Utf8JsonWriter w, IReadOnlyList<GroupSecurity> securities,
        IReadOnlyDictionary<int, SymbolGroupConfig> symbolGroups)
    {
        w.WriteStartArray("secgroups"u8);
        foreach (var s in securities)
        {
            w.WriteStartObject();
            w.WriteNumber("sec_index"u8, s.SecurityIndex);
            // A row may name a symbol group that was deleted since: its name is then empty.
            var symbolGroup = symbolGroups.GetValueOrDefault(s.SecurityIndex);
            w.WriteString("name"u8, symbolGroup?.Name ?? "");
            w.WriteString("description"u8, symbolGroup?.Description ?? "");
            w.WriteNumber("show"u8, s.Show ? 1 : 0);
            w.WriteNumber("trade"u8, s.TradeAllowed ? 1 : 0);
            w.WriteNumber("lot_min"u8, s.LotMin);
            w.WriteNumber("lot_max"u8, s.LotMax);
            w.WriteNumber("lot_step"u8, s.LotStep);
            w.WriteNumber("spread_diff"u8, s.SpreadDiff);
            w.WriteNumber("comm_base"u8, s.Commission);
            w.WriteNumber("comm_type"u8, (int)s.CommissionType);
            w.WriteNumber("comm_lots"u8, (int)s.CommissionBase);
            w.WriteNumber("comm_charge"u8, (int)s.CommissionCharge);
            w.WriteNumber("comm_agent"u8, s.AgentCommission);
            w.WriteNumber("comm_agent_type"u8, (int)s.AgentCommissionType);
            w.WriteNumber("comm_agent_lots"u8, (int)s.AgentCommissionBase);
            w.WriteNumber("trade_rights"u8, s.TradeRights);
            FixedFields.Security.Write(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
