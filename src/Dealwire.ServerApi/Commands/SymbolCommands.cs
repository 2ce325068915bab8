using System.Text.Json;
using Dealwire.ReadModel.Live;
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
        table.Add("GetSymbols", GetSymbols);
        table.Add("GetSymbol", GetSymbol);
        table.Add("AddSymbol", c => Upsert(c, adding: true));
        table.Add("UpdateSymbol", c => Upsert(c, adding: false));
        table.Add("DeleteSymbol", DeleteSymbol);
        table.Add("GetSymbolsSummary", GetSymbolsSummary);
    }

    /// <summary>The group whose prices a session sees: its account's group for users, raw for staff.</summary>
    private static string? PriceGroup(CommandContext c) => c.Scope.IsUser ? c.Server.View.GroupOf(c.Identity.Id) : null;

    private static async ValueTask<Reply> GetSymbols(CommandContext c)
    {
        var group = PriceGroup(c);
        var symbols = await c.ReadAsync(r => r.GetSymbols().OrderBy(s => s.SortIndex).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => (s, r.GetQuote(s.Name, group))).ToList());
        var page = Paging.Page(c.Data, symbols);
        return Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("structure");
            foreach (var col in SymbolWire.Columns) w.WriteStringValue(col);
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var (s, q) in page) SymbolWire.WriteRow(w, s, q);
            w.WriteEndArray();
            w.WriteNumber("count", symbols.Count);
            w.WriteEndObject();
        });
    }

    private static async ValueTask<Reply> GetSymbol(CommandContext c)
    {
        var name = c.Data.RequireString("symbol", 32);
        var group = PriceGroup(c);
        var (symbol, quote) = await c.ReadAsync(r => (r.GetSymbol(name), r.GetQuote(name, group)));
        if (symbol is null) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {name} not found");
        return Reply.Ok(w => SymbolWire.Write(w, symbol, quote));
    }

    /// <summary>
    /// AddSymbol writes a new record; UpdateSymbol sends the engine only the fields given (a patch), so two
    /// concurrent updates of different fields both survive.
    /// </summary>
    private static async ValueTask<Reply> Upsert(CommandContext c, bool adding)
    {
        var name = c.Data.RequireString("symbol", 32);
        if (name.Length == 0) throw ProtocolException.InvalidData("symbol must not be empty");
        var patch = ConfigReader.Symbol(c.Data);
        var existing = await c.ReadAsync(r => r.GetSymbol(name));
        if (adding && existing is not null) throw ProtocolException.Rejected(ReturnCode.ErrDuplicate, $"symbol {name} already exists");
        if (!adding && existing is null) throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {name} not found");
        var added = adding ? patch.ApplyTo(new SymbolConfig { Name = name }) : null;
        int[] indexes = existing is null ? [added!.SecurityIndex]
            : patch.SecurityIndex is int moved ? [existing.SecurityIndex, moved] : [existing.SecurityIndex];
        await c.RequireMaskCoversAsync($"{c.Command} {name}", r => ConfigImpact.OfSymbol(r, name, indexes));
        if (added is null) await c.SubmitAsync(new PatchSymbol(name, patch) { Actor = c.Actor });
        else await c.SubmitAsync(new UpsertSymbol(added) { Actor = c.Actor });
        return Reply.Ok();
    }

    private static async ValueTask<Reply> DeleteSymbol(CommandContext c)
    {
        var name = c.Data.RequireString("symbol", 32);
        var existing = await c.ReadAsync(r => r.GetSymbol(name))
            ?? throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, $"symbol {name} not found");
        await c.RequireMaskCoversAsync($"DeleteSymbol {name}", r => ConfigImpact.OfSymbol(r, name, existing.SecurityIndex));
        await c.SubmitAsync(new Engine.Commands.DeleteSymbol(name) { Actor = c.Actor });
        return Reply.Ok();
    }

    /// <summary>Client exposure per symbol over the open positions the session may see (no coverage accounts: cov* are 0).</summary>
    private static async ValueTask<Reply> GetSymbolsSummary(CommandContext c)
    {
        var mask = new GroupMask(c.Data.OptionalString("groupFilter", 256) ?? "*");
        var scope = c.Scope;
        var rows = await c.ReadAsync(r =>
        {
            var positions = r.GetPositions().Where(t =>
            {
                var group = r.GroupOf(t.Login);
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
        var page = Paging.Page(c.Data, rows);
        return Reply.Ok(w => TableWriter.Write(w, SummaryColumns, page, rows.Count));
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
    /// <summary>The symbol fields a request names, checked; absent fields stay null (kept by the engine).</summary>
    public static SymbolPatch Symbol(DataReader d)
    {
        var digits = d.NullableInt("digits");
        if (digits is < 0 or > 10) throw ProtocolException.InvalidData("digits must be between 0 and 10");
        var contractSize = d.NullableDecimal("contract_size");
        if (contractSize <= 0) throw ProtocolException.InvalidData("contract_size must be positive");
        FixedFields.Symbol.Check(d.Raw);
        return new SymbolPatch
        {
            Description = d.OptionalString("description", 256),
            Source = d.OptionalString("source", 32),
            BaseCurrency = d.OptionalString("currency", 16),
            SecurityIndex = d.NullableInt("sec_index"),
            SymbolIndex = d.NullableInt("sym_index"),
            SortIndex = d.NullableInt("sort_index"),
            Digits = digits,
            TradeMode = (SymbolTradeMode?)Enum(d, "trade", 0, 2),
            ProfitMode = (ProfitCalcMode?)Enum(d, "profit_mode", 0, 2),
            MarginMode = (MarginCalcMode?)Enum(d, "margin_mode", 0, 4),
            Spread = d.NullableInt("spread"),
            SpreadBalance = d.NullableInt("spread_balance"),
            StopsLevel = d.NullableInt("stops_level"),
            FreezeLevel = d.NullableInt("freeze_level"),
            SwapEnabled = d.OptionalFlag("swap_enable"),
            SwapType = (SwapType?)Enum(d, "swap_type", 0, 5),
            SwapLong = d.NullableDecimal("swap_long"),
            SwapShort = d.NullableDecimal("swap_short"),
            TripleSwapDay = (DayOfWeek?)Enum(d, "swap_rollover3days", 0, 6),
            SwapDaily = d.OptionalFlag("swap_daily"),
            ContractSize = contractSize,
            TickValue = d.NullableDecimal("tick_value"),
            TickSize = d.NullableDecimal("tick_size"),
            MarginInitial = d.NullableDecimal("margin_initial"),
            MarginHedged = d.NullableDecimal("margin_hedged"),
            MarginDivider = d.NullableDecimal("margin_divider"),
            LongOnly = d.OptionalFlag("long_only"),
            ProfitCurrency = d.OptionalString("quote_currency", 16),
            MarginCurrency = d.OptionalString("margin_currency", 16),
            MaxVolume = d.NullableInt("max_volume"),
            Sessions = d.OptionalArray("sessions") is { } sessions ? Sessions(sessions) : null,
        };
    }

    /// <summary>An enumeration field when present, range-checked; null when absent.</summary>
    private static int? Enum(DataReader d, string name, int min, int max)
    {
        if (d.NullableInt(name) is not { } value) return null;
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

    /// <summary>
    /// The group fields a request names, checked; absent fields stay null (kept by the engine). Every field
    /// GetGroups shows is read here: a setting the wire accepts is applied or refused, never dropped.
    /// </summary>
    public static GroupPatch Group(DataReader d)
    {
        var leverage = d.NullableInt("default_leverage");
        if (leverage is < 1 or > 10_000) throw ProtocolException.InvalidData("default_leverage must be between 1 and 10000");
        FixedFields.Group.Check(d.Raw);
        return new GroupPatch
        {
            Company = d.OptionalString("company", 128),
            Brand = d.OptionalString("brand", 64),
            Currency = d.OptionalString("currency", 16),
            CurrencyDigits = Enum(d, "currency_digits", 0, 8),
            NegativeBalancePolicy = (NegativeBalancePolicy?)Enum(d, "so_compensation", 0, 1),
            Enabled = d.OptionalFlag("enable"),
            IsReal = d.Has("account_mode") ? d.RequireInt("account_mode") == 1 : null,
            DefaultLeverage = leverage,
            DefaultDeposit = d.NullableDecimal("default_deposit"),
            MarginCall = d.NullableDecimal("margin_call"),
            StopOut = d.NullableDecimal("margin_stopout"),
            MarginLevelUnit = (MarginLevelUnit?)Enum(d, "margin_type", 0, 1),
            FreeMarginMode = (FreeMarginMode?)Enum(d, "margin_mode", 0, 3),
            Accounting = d.OptionalFlag("hedge_prohibited") is { } netting ? (netting ? PositionAccounting.Netting : PositionAccounting.Hedging) : null,
            HedgeLargeLeg = d.OptionalFlag("hedge_largeleg"),
            StopOutSkipHedged = d.OptionalFlag("stopout_skip_hedged"),
            PartialCloseAllowed = d.OptionalFlag("partial_close"),
            UseSwap = d.OptionalFlag("use_swap"),
            MaxPositions = d.NullableInt("maxpositions"),
            SlTpSlippage = d.OptionalFlag("allow_sl_tp_slippage"),
            // secgroups: a list = exactly those symbol groups may be dealt, so [] = none; null = not configured,
            // every symbol group with default settings; absent = unchanged (a new group: every symbol group).
            Securities = SecgroupsGiven(d) is { ValueKind: not JsonValueKind.Null } ? Securities(d.RequireArray("secgroups")) : null,
            ClearSecurities = SecgroupsGiven(d) is { ValueKind: JsonValueKind.Null },
            SymbolOverrides = d.OptionalArray("secmargins") is { } secmargins ? Overrides(secmargins) : null,
        };
    }

    private static JsonElement? SecgroupsGiven(DataReader d) => d.Raw.TryGetProperty("secgroups", out var value) ? value : null;

    private static List<GroupSecurityPatch> Securities(JsonElement items)
    {
        var list = new List<GroupSecurityPatch>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("secgroups entries must be objects");
            FixedFields.Security.Check(item, "secgroups.");
            var r = new DataReader(item);
            list.Add(new GroupSecurityPatch
            {
                SecurityIndex = r.RequireInt("sec_index"),
                Show = r.OptionalFlag("show"),
                TradeAllowed = r.OptionalFlag("trade"),
                LotMin = r.NullableInt("lot_min"),
                LotMax = r.NullableInt("lot_max"),
                LotStep = r.NullableInt("lot_step"),
                SpreadDiff = r.NullableInt("spread_diff"),
                Commission = r.NullableDecimal("comm_base"),
                CommissionType = (CommissionType?)Enum(r, "comm_type", 0, 2),
                CommissionBase = (CommissionBase?)Enum(r, "comm_lots", 0, 1),
                CommissionCharge = (CommissionCharge?)Enum(r, "comm_charge", 0, 2),
                AgentCommission = r.NullableDecimal("comm_agent"),
                AgentCommissionType = (CommissionType?)Enum(r, "comm_agent_type", 0, 2),
                AgentCommissionBase = (CommissionBase?)Enum(r, "comm_agent_lots", 0, 1),
                TradeRights = r.NullableInt("trade_rights"),
            });
        }
        return list;
    }

    private static List<GroupSymbolOverridePatch> Overrides(JsonElement items)
    {
        var list = new List<GroupSymbolOverridePatch>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw ProtocolException.InvalidData("secmargins entries must be objects");
            var r = new DataReader(item);
            var spreadEnabled = r.OptionalFlag("spread_enable");
            list.Add(new GroupSymbolOverridePatch
            {
                Symbol = r.RequireString("symbol", 32),
                SwapEnabled = r.OptionalFlag("swap_enable"),
                SwapLong = r.NullableDecimal("swap_long"),
                SwapShort = r.NullableDecimal("swap_short"),
                MarginDivider = r.NullableDecimal("margin_divider"),
                // spread_enable 0 removes the fixed spread; otherwise a given spread sets it.
                ClearFixedSpread = spreadEnabled == false,
                FixedSpread = spreadEnabled == false ? null : r.NullableInt("spread"),
                SpreadBalance = r.NullableInt("spread_balance"),
                BidMarkup = r.NullableInt("bid_markup"),
                AskMarkup = r.NullableInt("ask_markup"),
            });
        }
        return list;
    }

}
