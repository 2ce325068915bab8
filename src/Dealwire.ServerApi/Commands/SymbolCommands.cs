using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>Symbols (scaletrade-tcp §7.6): lists with live quotes, add / update / delete, and the exposure summary.</summary>
internal static class SymbolCommands
{
    private static readonly string[] SummaryColumns =
    [
        "symbol", "type", "orders", "buylots", "selllots", "buyprice", "sellprice", "profit", "covorders", "covbuylots",
        "covselllots", "covbuyprice", "covsellprice", "covprofit",
    ];

    public static void Register(CommandTable table)
    {
        table.Add("GetSymbols", Access.Everyone(), GetSymbols);
        table.Add("GetSymbol", Access.Everyone(), GetSymbol);
        table.Add("AddSymbol", Access.Staff(), c => Upsert(c, adding: true));
        table.Add("UpdateSymbol", Access.Staff(), c => Upsert(c, adding: false));
        table.Add("DeleteSymbol", Access.Staff(), DeleteSymbol);
        table.Add("GetSymbolsSummary", Access.Everyone(), GetSymbolsSummary);
    }

    /// <summary>The group whose prices a session sees: its account's group for users, raw for staff.</summary>
    private static string? PriceGroup(CommandContext c) => c.Scope.IsUser ? c.Server.Mirror.GroupOf(c.Identity.Id) : null;

    private static async ValueTask<Reply> GetSymbols(CommandContext c)
    {
        var group = PriceGroup(c);
        var symbols = await c.QueryAsync(r => r.GetSymbols().OrderBy(s => s.SortIndex).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => (s, r.GetQuote(s.Name, group))).ToList());
        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("structure");
            foreach (var col in SymbolWire.Columns) w.WriteStringValue(col);
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var (s, q) in symbols) SymbolWire.WriteRow(w, s, q);
            w.WriteEndArray();
            w.WriteNumber("count", symbols.Count);
            w.WriteEndObject();
        });
    }

    private static async ValueTask<Reply> GetSymbol(CommandContext c)
    {
        var name = c.Data.RequireString("symbol", 32);
        var group = PriceGroup(c);
        var (symbol, quote) = await c.QueryAsync(r => (r.GetSymbol(name), r.GetQuote(name, group)));
        if (symbol is null) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {name} not found");
        return Reply.Ok(w => SymbolWire.Write(w, symbol, quote));
    }

    private static async ValueTask<Reply> Upsert(CommandContext c, bool adding)
    {
        var name = c.Data.RequireString("symbol", 32);
        if (name.Length == 0) throw ProtocolException.InvalidData("symbol must not be empty");
        var existing = await c.QueryAsync(r => r.GetSymbol(name));
        if (adding && existing is not null) throw ProtocolException.Rejected(ReturnCode.ErrDuplicate, $"symbol {name} already exists");
        if (!adding && existing is null) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {name} not found");
        var config = ConfigReader.Symbol(c.Data, existing ?? new SymbolConfig { Name = name });
        await c.SubmitAsync(new UpsertSymbol(config) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async ValueTask<Reply> DeleteSymbol(CommandContext c)
    {
        var name = c.Data.RequireString("symbol", 32);
        await c.SubmitAsync(new Engine.Commands.DeleteSymbol(name) { Actor = c.Actor });
        return Reply.Ok();
    }

    /// <summary>Client exposure per symbol over the open positions the session may see (no coverage accounts: cov* are 0).</summary>
    private static async ValueTask<Reply> GetSymbolsSummary(CommandContext c)
    {
        var mask = new GroupMask(c.Data.OptionalString("groupFilter", 256) ?? "*");
        var scope = c.Scope;
        var mirror = c.Server.Mirror;
        var rows = await c.QueryAsync(r =>
        {
            var positions = r.GetPositions().Where(t =>
            {
                var group = mirror.GroupOf(t.Login) ?? r.GetAccount(t.Login)?.Profile.Group;
                return group is not null && mask.Matches(group) && scope.CanSee(t.Login, group);
            }).ToList();
            return r.GetSymbols().OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
            {
                var mine = positions.Where(p => p.Symbol == s.Name).ToList();
                var buys = mine.Where(p => p.Command == TradeCommand.Buy).ToList();
                var sells = mine.Where(p => p.Command == TradeCommand.Sell).ToList();
                return new object[]
                {
                    s.Name, (long)s.SecurityIndex, (long)mine.Count, Lots(buys), Lots(sells), AveragePrice(buys, s.Digits),
                    AveragePrice(sells, s.Digits), mine.Sum(p => p.Profit), 0L, 0m, 0m, 0m, 0m, 0m,
                };
            }).ToList();
        });
        return Reply.Ok(w => TableWriter.Write(w, SummaryColumns, rows, rows.Count));
    }

    private static decimal Lots(List<TradeRecord> trades) => trades.Sum(t => t.Volume) / 100m;

    private static decimal AveragePrice(List<TradeRecord> trades, int digits)
    {
        var volume = trades.Sum(t => (decimal)t.Volume);
        return volume == 0 ? 0 : Math.Round(trades.Sum(t => t.OpenPrice * t.Volume) / volume, digits);
    }
}

/// <summary>Reads symbol and group records from request data onto a base record: absent fields keep their value.</summary>
internal static class ConfigReader
{
    public static SymbolConfig Symbol(DataReader d, SymbolConfig s)
    {
        var digits = d.OptionalInt("digits", s.Digits);
        if (digits is < 0 or > 10) throw ProtocolException.InvalidData("digits must be between 0 and 10");
        var contractSize = d.OptionalDecimal("contract_size", s.ContractSize);
        if (contractSize <= 0) throw ProtocolException.InvalidData("contract_size must be positive");
        var trade = d.OptionalInt("trade", (int)s.TradeMode);
        if (trade is < 0 or > 2) throw ProtocolException.InvalidData("trade must be 0, 1 or 2");
        return s with
        {
            Description = d.OptionalString("description", 256) ?? s.Description,
            Source = d.OptionalString("source", 32) ?? s.Source,
            BaseCurrency = d.OptionalString("currency", 16) ?? s.BaseCurrency,
            SecurityIndex = d.OptionalInt("sec_index", s.SecurityIndex),
            SymbolIndex = d.OptionalInt("sym_index", s.SymbolIndex),
            SortIndex = d.OptionalInt("sort_index", s.SortIndex),
            Digits = digits,
            TradeMode = (SymbolTradeMode)trade,
            ProfitMode = (ProfitCalcMode)Enum(d, "profit_mode", (int)s.ProfitMode, 0, 2),
            MarginMode = (MarginCalcMode)Enum(d, "margin_mode", (int)s.MarginMode, 0, 4),
            Spread = d.OptionalInt("spread", s.Spread),
            SpreadBalance = d.OptionalInt("spread_balance", s.SpreadBalance),
            StopsLevel = d.OptionalInt("stops_level", s.StopsLevel),
            FreezeLevel = d.OptionalInt("freeze_level", s.FreezeLevel),
            SwapEnabled = d.OptionalFlag("swap_enable") ?? s.SwapEnabled,
            SwapType = (SwapType)Enum(d, "swap_type", (int)s.SwapType, 0, 5),
            SwapLong = d.OptionalDecimal("swap_long", s.SwapLong),
            SwapShort = d.OptionalDecimal("swap_short", s.SwapShort),
            TripleSwapDay = (DayOfWeek)Enum(d, "swap_rollover3days", (int)s.TripleSwapDay, 0, 6),
            SwapDaily = d.OptionalFlag("swap_daily") ?? s.SwapDaily,
            ContractSize = contractSize,
            TickValue = d.OptionalDecimal("tick_value", s.TickValue),
            TickSize = d.OptionalDecimal("tick_size", s.TickSize),
            MarginInitial = d.OptionalDecimal("margin_initial", s.MarginInitial),
            MarginHedged = d.NullableDecimal("margin_hedged") ?? s.MarginHedged,
            MarginDivider = d.OptionalDecimal("margin_divider", s.MarginDivider),
            LongOnly = d.OptionalFlag("long_only") ?? s.LongOnly,
            ProfitCurrency = d.OptionalString("quote_currency", 16) ?? s.ProfitCurrency,
            MarginCurrency = d.OptionalString("margin_currency", 16) ?? s.MarginCurrency,
            MaxVolume = d.OptionalInt("max_volume", s.MaxVolume),
            Sessions = d.OptionalArray("sessions") is { } sessions ? Sessions(sessions) : s.Sessions,
        };
    }

    private static int Enum(DataReader d, string name, int fallback, int min, int max)
    {
        var value = d.OptionalInt(name, fallback);
        if (value < min || value > max) throw ProtocolException.InvalidData($"{name} must be between {min} and {max}");
        return value;
    }

    /// <summary>Seven days (0 = Sunday) of <c>{"quote":[…],"trade":[…]}</c> intervals; the close minute is inclusive on the wire.</summary>
    private static List<DaySessions> Sessions(JsonElement days)
    {
        if (days.GetArrayLength() != 7) throw ProtocolException.InvalidData("sessions must list 7 days");
        var result = new List<DaySessions>(7);
        foreach (var day in days.EnumerateArray())
        {
            if (day.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("sessions entries must be objects");
            var trade = Intervals(day, "trade");
            var quote = day.TryGetProperty("quote", out _) ? Intervals(day, "quote") : trade;
            result.Add(new DaySessions(quote, trade));
        }
        return result;
    }

    private static List<SessionInterval> Intervals(JsonElement day, string name)
    {
        var list = new List<SessionInterval>();
        if (!day.TryGetProperty(name, out var items)) return list;
        if (items.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"sessions.{name} must be an array");
        foreach (var item in items.EnumerateArray())
        {
            var r = new DataReader(item);
            var open = r.RequireInt("open_hour") * 60 + r.RequireInt("open_min");
            var close = r.RequireInt("close_hour") * 60 + r.RequireInt("close_min") + 1;
            if (open < 0 || close > 24 * 60 || close <= open) throw ProtocolException.InvalidData($"sessions.{name}: invalid interval");
            // All-zero slots are how the C++ record pads unused intervals.
            if (open == 0 && close == 1 && r.RequireInt("close_hour") == 0) continue;
            list.Add(new SessionInterval(open, close));
        }
        return list;
    }

    public static GroupConfig Group(DataReader d, GroupConfig g)
    {
        var leverage = d.OptionalInt("default_leverage", g.DefaultLeverage);
        if (leverage is < 1 or > 10_000) throw ProtocolException.InvalidData("default_leverage must be between 1 and 10000");
        return g with
        {
            Company = d.OptionalString("company", 128) ?? g.Company,
            Brand = d.OptionalString("brand", 64) ?? g.Brand,
            Currency = d.OptionalString("currency", 16) ?? g.Currency,
            Enabled = d.OptionalFlag("enable") ?? g.Enabled,
            IsReal = d.Has("account_mode") ? d.RequireInt("account_mode") == 1 : g.IsReal,
            DefaultLeverage = leverage,
            DefaultDeposit = d.OptionalDecimal("default_deposit", g.DefaultDeposit),
            MarginCall = d.OptionalDecimal("margin_call", g.MarginCall),
            StopOut = d.OptionalDecimal("margin_stopout", g.StopOut),
            MarginLevelUnit = (MarginLevelUnit)Enum(d, "margin_type", (int)g.MarginLevelUnit, 0, 1),
            FreeMarginMode = (FreeMarginMode)Enum(d, "margin_mode", (int)g.FreeMarginMode, 0, 3),
            Accounting = d.OptionalFlag("hedge_prohibited") is { } netting ? (netting ? PositionAccounting.Netting : PositionAccounting.Hedging) : g.Accounting,
            HedgeLargeLeg = d.OptionalFlag("hedge_largeleg") ?? g.HedgeLargeLeg,
            StopOutSkipHedged = d.OptionalFlag("stopout_skip_hedged") ?? g.StopOutSkipHedged,
            PartialCloseAllowed = d.OptionalFlag("partial_close") ?? g.PartialCloseAllowed,
            UseSwap = d.OptionalFlag("use_swap") ?? g.UseSwap,
            MaxPositions = d.OptionalInt("maxpositions", g.MaxPositions),
            SlTpSlippage = d.OptionalFlag("allow_sl_tp_slippage") ?? g.SlTpSlippage,
            Securities = SecuritiesOf(d, g),
            SymbolOverrides = d.OptionalArray("secmargins") is { } secmargins ? Overrides(secmargins, g) : g.SymbolOverrides,
        };
    }

    /// <summary>
    /// <c>secgroups</c>: a list = exactly those symbol groups may be dealt, so <c>[]</c> = none; <c>null</c> = not
    /// configured, every symbol group with default settings; absent = unchanged (a new group: every symbol group).
    /// </summary>
    private static IReadOnlyList<GroupSecurity>? SecuritiesOf(DataReader d, GroupConfig g)
    {
        if (!d.Raw.TryGetProperty("secgroups", out var value)) return g.Securities;
        return value.ValueKind == JsonValueKind.Null ? null : Securities(d.RequireArray("secgroups"), g);
    }

    private static List<GroupSecurity> Securities(JsonElement items, GroupConfig g)
    {
        var list = new List<GroupSecurity>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("secgroups entries must be objects");
            var r = new DataReader(item);
            var index = r.RequireInt("sec_index");
            var s = g.FindSecurity(index) ?? new GroupSecurity { SecurityIndex = index };
            list.Add(s with
            {
                Show = r.OptionalFlag("show") ?? s.Show,
                TradeAllowed = r.OptionalFlag("trade") ?? s.TradeAllowed,
                LotMin = r.OptionalInt("lot_min", s.LotMin),
                LotMax = r.OptionalInt("lot_max", s.LotMax),
                LotStep = r.OptionalInt("lot_step", s.LotStep),
                SpreadDiff = r.OptionalInt("spread_diff", s.SpreadDiff),
                Commission = r.OptionalDecimal("comm_base", s.Commission),
                CommissionType = (CommissionType)Enum(r, "comm_type", (int)s.CommissionType, 0, 2),
                CommissionBase = (CommissionBase)Enum(r, "comm_lots", (int)s.CommissionBase, 0, 1),
                CommissionCharge = (CommissionCharge)Enum(r, "comm_charge", (int)s.CommissionCharge, 0, 2),
                AgentCommission = r.OptionalDecimal("comm_agent", s.AgentCommission),
                AgentCommissionType = (CommissionType)Enum(r, "comm_agent_type", (int)s.AgentCommissionType, 0, 2),
                AgentCommissionBase = (CommissionBase)Enum(r, "comm_agent_lots", (int)s.AgentCommissionBase, 0, 1),
                TradeRights = r.OptionalInt("trade_rights", s.TradeRights),
            });
        }
        return list;
    }

    private static List<GroupSymbolOverride> Overrides(JsonElement items, GroupConfig g)
    {
        var list = new List<GroupSymbolOverride>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("secmargins entries must be objects");
            var r = new DataReader(item);
            var symbol = r.RequireString("symbol", 32);
            var o = g.FindOverride(symbol) ?? new GroupSymbolOverride { Symbol = symbol };
            var spreadEnabled = r.OptionalFlag("spread_enable");
            list.Add(o with
            {
                SwapEnabled = r.OptionalFlag("swap_enable") ?? o.SwapEnabled,
                SwapLong = r.NullableDecimal("swap_long") ?? o.SwapLong,
                SwapShort = r.NullableDecimal("swap_short") ?? o.SwapShort,
                MarginDivider = r.NullableDecimal("margin_divider") ?? o.MarginDivider,
                FixedSpread = spreadEnabled == false ? null : r.NullableInt("spread") is { } spread && spreadEnabled != false ? spread : o.FixedSpread,
                SpreadBalance = r.OptionalInt("spread_balance", o.SpreadBalance),
                BidMarkup = r.OptionalInt("bid_markup", o.BidMarkup),
                AskMarkup = r.OptionalInt("ask_markup", o.AskMarkup),
            });
        }
        return list;
    }
}
