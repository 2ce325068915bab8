using System.Text.Json;
using Dealwire.ReadModel.Live;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ManagerApi.Wire;

/// <summary>One symbol as a trading group deals it: the group's security settings and overrides applied.</summary>
public sealed record GroupSymbol(GroupConfig Group, SymbolConfig Symbol, GroupSecurity Security)
{
    public GroupSymbolOverride? Override => Group.FindOverride(Symbol.Name);

    /// <summary>Group leverage × margin divider: the divider divides required margin, so it multiplies leverage.</summary>
    public decimal Leverage => Group.DefaultLeverage * (Override?.MarginDivider ?? Symbol.MarginDivider);

    public PriceAdjustment Markup => PriceAdjustment.For(Symbol, Group);
}

/// <summary>A trading group with the symbols it may trade.</summary>
public sealed record GroupProfile(GroupConfig Group, IReadOnlyList<GroupSymbol> Symbols);

/// <summary>A collateral currency.</summary>
public sealed record CollateralView(string Currency, int Digits);

/// <summary>Dealwire's trading configuration read at one moment, in the shapes the Manager API lists.</summary>
public sealed record TradingSettings(
    IReadOnlyList<GroupConfig> Groups,
    IReadOnlyList<SymbolConfig> Symbols,
    IReadOnlyDictionary<int, string> SymbolGroupNames,
    IReadOnlyList<GroupProfile> Profiles,
    IReadOnlyList<SymbolConfig> DayOffSymbols,
    IReadOnlyList<CollateralView> Collaterals)
{
    /// <summary>Copies what is needed out of the live view.</summary>
    public static TradingSettings Read(ILiveView r)
    {
        var groups = r.GetGroups().OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        var symbols = r.GetSymbols().OrderBy(s => s.SortIndex).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var secNames = r.GetSymbolGroups().ToDictionary(s => s.Index, s => s.Name);
        // As the engine deals: a group with no securities listed (null) trades every symbol with default settings; an empty list none.
        var profiles = groups.Select(g => new GroupProfile(g, symbols
            .Select(s => (s, sec: g.FindSecurity(s.SecurityIndex) ?? (g.Securities is null ? new GroupSecurity { SecurityIndex = s.SecurityIndex } : null)))
            .Where(x => x.sec is not null)
            .Select(x => new GroupSymbol(g, x.s, x.sec!))
            .ToList())).ToList();
        var collaterals = groups.GroupBy(g => g.Currency, StringComparer.Ordinal)
            .Select(c => new CollateralView(c.Key, c.First().CurrencyDigits))
            .OrderBy(c => c.Currency, StringComparer.Ordinal).ToList();
        return new TradingSettings(groups, symbols, secNames, profiles, symbols.Where(s => s.Sessions is not null).ToList(), collaterals);
    }

    /// <summary>
    /// What a manager with this group mask is shown: the groups in its mask, the instruments those groups trade
    /// (with their symbol groups and day-off schedules) and the collateral currencies of those groups. Groups and
    /// instruments only others trade stay hidden, as the accounts and trades of other groups do.
    /// </summary>
    public TradingSettings VisibleTo(GroupMask mask)
    {
        var profiles = Profiles.Where(p => mask.Matches(p.Group.Name)).ToList();
        if (profiles.Count == Profiles.Count) return this;
        var traded = profiles.SelectMany(p => p.Symbols).Select(s => s.Symbol.Name).ToHashSet(StringComparer.Ordinal);
        var symbols = Symbols.Where(s => traded.Contains(s.Name)).ToList();
        var securities = symbols.Select(s => s.SecurityIndex).ToHashSet();
        var currencies = profiles.Select(p => p.Group.Currency).ToHashSet(StringComparer.Ordinal);
        return new TradingSettings(
            Groups.Where(g => mask.Matches(g.Name)).ToList(),
            symbols,
            SymbolGroupNames.Where(kv => securities.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
            profiles,
            DayOffSymbols.Where(s => traded.Contains(s.Name)).ToList(),
            Collaterals.Where(c => currencies.Contains(c.Currency)).ToList());
    }
}

/// <summary>Writers of the trading-settings models in both layouts.</summary>
internal static class SettingsModels
{
    public static void WriteGroup(Utf8JsonWriter w, WireDialect d, GroupConfig g)
    {
        w.WriteStartObject();
        w.WriteString("id", g.Name);
        w.WriteString("name", g.Name);
        if (d.IsSeed)
        {
            w.WriteString("description", g.Company);
        }
        else
        {
            // One trading profile, swap profile and markup (MDE) profile per group, named after it.
            w.WriteString("trading_profile_id", g.Name);
            w.WriteString("swap_profile_id", g.Name);
            w.WriteString("mde_profile_id", g.Name);
            w.WriteBoolean("trading_disabled", !g.Enabled);
        }
        w.WriteEndObject();
    }

    public static ModelWriter<SymbolConfig> Instrument(IReadOnlyDictionary<int, string> symbolGroupNames) => (w, d, s) =>
    {
        w.WriteStartObject();
        w.WriteString("id", s.Name);
        w.WriteString("name", s.Description.Length > 0 ? s.Description : s.Name);
        w.WriteNumber("digits", s.Digits);
        w.WriteString("base", s.BaseCurrency);
        w.WriteString("quote", s.ProfitCurrency);
        w.WriteNumber("tick_size", s.EffectiveTickSize);
        if (s.SwapEnabled) w.WriteString("swap_schedule_id", s.Name);
        else w.WriteNull("swap_schedule_id");
        w.WriteString("group_id", symbolGroupNames.TryGetValue(s.SecurityIndex, out var sec) ? sec : s.SecurityIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("weight", s.SortIndex);
        w.WriteNumber("day_timeout", 0);
        w.WriteNumber("night_timeout", 0);
        w.WriteBoolean("trading_disabled", s.TradeMode == SymbolTradeMode.Disabled);
        w.WriteNumber("lot_size", s.ContractSize);
        w.WritePropertyName("day_off_profiles_id");
        w.WriteStartArray();
        if (s.Sessions is not null) w.WriteStringValue(s.Name);
        w.WriteEndArray();
        w.WriteEndObject();
    };

    /// <summary>Seed: one flat item per group × instrument; newer: one profile per group with its instruments.</summary>
    public static void WriteProfile(Utf8JsonWriter w, WireDialect d, GroupProfile p)
    {
        if (d.IsSeed)
        {
            foreach (var gs in p.Symbols)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Group.Name + ":" + gs.Symbol.Name);
                w.WriteString("trading_group_id", p.Group.Name);
                w.WriteString("instrument_id", gs.Symbol.Name);
                w.WriteNumber("leverage", gs.Leverage);
                w.WriteNumber("initial_margin", gs.Symbol.MarginInitial);
                w.WriteNumber("maintenance_margin", gs.Symbol.MarginInitial);
                w.WriteNumber("commission_per_lot", gs.Security.Commission);
                w.WriteNumber("min_lot", gs.Security.LotMin / 100m);
                w.WriteNumber("max_lot", gs.Security.LotMax / 100m);
                w.WriteNumber("lot_step", gs.Security.LotStep / 100m);
                w.WriteEndObject();
            }
            return;
        }
        var g = p.Group;
        w.WriteStartObject();
        w.WriteString("id", g.Name);
        w.WriteString("name", g.Name);
        w.WriteNumber("stop_out_percent", g.StopOut);
        w.WriteBoolean("is_a_book", false);
        w.WriteNumber("margin_call_percent", g.MarginCall);
        w.WritePropertyName("instruments");
        w.WriteStartArray();
        foreach (var gs in p.Symbols)
        {
            w.WriteStartObject();
            w.WriteString("id", gs.Symbol.Name);
            w.WriteNumber("min_operation_volume", gs.Security.LotMin / 100m);
            w.WriteNumber("max_operation_volume", gs.Security.LotMax / 100m);
            w.WriteNumber("max_position_volume", (gs.Symbol.MaxVolume > 0 ? gs.Symbol.MaxVolume : gs.Security.LotMax) / 100m);
            w.WriteNumber("open_position_min_delay_ms", 0);
            w.WriteNumber("open_position_max_delay_ms", 0);
            w.WriteNumber("instrument_max_leverage", gs.Leverage);
            w.WriteNumber("commission_per_lot", gs.Security.Commission);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("leverages");
        w.WriteStartArray();
        w.WriteNumberValue(g.DefaultLeverage);
        w.WriteEndArray();
        w.WriteNumber("default_leverage", g.DefaultLeverage);
        w.WritePropertyName("collateral_currencies");
        w.WriteStartArray();
        w.WriteStringValue(g.Currency);
        w.WriteEndArray();
        w.WriteNumber("initial_deposit", g.DefaultDeposit);
        w.WriteNumber("hedge_margin_coefficient", g.HedgeLargeLeg ? 0.5m : 1m);
        w.WriteNumber("commission_per_lot", 0);
        w.WriteEndObject();
    }

    /// <summary>Seed: one item per group × instrument; newer: one markup profile per group keyed by instrument.</summary>
    public static void WriteMarkup(Utf8JsonWriter w, WireDialect d, GroupProfile p)
    {
        if (d.IsSeed)
        {
            foreach (var gs in p.Symbols)
            {
                var m = gs.Markup;
                w.WriteStartObject();
                w.WriteString("id", p.Group.Name + ":" + gs.Symbol.Name);
                w.WriteString("trading_group_id", p.Group.Name);
                w.WriteString("instrument_id", gs.Symbol.Name);
                // Both layouts: points added to each side (spread difference and markup together).
                w.WriteNumber("markup_bid", m.BidShift);
                w.WriteNumber("markup_ask", m.AskShift);
                w.WriteBoolean("use_spread_only", m.FixedSpread > 0);
                w.WriteEndObject();
            }
            return;
        }
        w.WriteStartObject();
        w.WriteString("id", p.Group.Name);
        w.WriteString("name", p.Group.Name);
        w.WriteBoolean("disabled", false);
        w.WritePropertyName("instruments");
        w.WriteStartObject();
        foreach (var gs in p.Symbols)
        {
            var m = gs.Markup;
            w.WritePropertyName(gs.Symbol.Name);
            w.WriteStartObject();
            w.WriteString("instrument_id", gs.Symbol.Name);
            // Points added to the bid and to the ask (the spec's "added to bid"), as in the seed layout.
            w.WriteNumber("markup_bid", m.BidShift);
            w.WriteNumber("markup_ask", m.AskShift);
            if (m.FixedSpread > 0)
            {
                w.WriteNumber("min_spread", m.FixedSpread * gs.Symbol.Point);
                w.WriteNumber("max_spread", m.FixedSpread * gs.Symbol.Point);
            }
            else
            {
                w.WriteNull("min_spread");
                w.WriteNull("max_spread");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A symbol's weekly trade sessions as day-off windows: the complement of its trading intervals, UTC.</summary>
    public static void WriteDayOff(Utf8JsonWriter w, WireDialect d, SymbolConfig s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Name);
        w.WriteString("name", s.Name + " sessions");
        w.WriteBoolean("is_disabled", false);
        w.WritePropertyName("days_off");
        w.WriteStartArray();
        var sessions = s.Sessions ?? [];
        for (var day = 0; day < 7 && day < sessions.Count; day++)
        {
            var open = 0;
            foreach (var interval in sessions[day].Trade.OrderBy(i => i.OpenMinute))
            {
                if (interval.OpenMinute > open) WriteWindow(w, day, open, interval.OpenMinute);
                open = Math.Max(open, interval.CloseMinute);
            }
            if (open < 24 * 60) WriteWindow(w, day, open, 24 * 60);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteCollateral(Utf8JsonWriter w, WireDialect d, CollateralView c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Currency);
        w.WriteString("name", c.Currency);
        w.WriteNumber("digits", c.Digits);
        w.WriteEndObject();
    }

    private static void WriteWindow(Utf8JsonWriter w, int day, int fromMinute, int toMinute)
    {
        w.WriteStartObject();
        w.WriteNumber("dow_from", day);
        w.WriteString("time_from", Clock(fromMinute));
        // A window running to midnight ends at 00:00:00 of the next day.
        w.WriteNumber("dow_to", toMinute >= 24 * 60 ? (day + 1) % 7 : day);
        w.WriteString("time_to", Clock(toMinute % (24 * 60)));
        w.WriteEndObject();
    }

    private static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}:00";
}
