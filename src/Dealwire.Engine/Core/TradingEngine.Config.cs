using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Symbols, symbol groups and trading groups.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Upsert(UpsertSymbol c)
    {
        var cfg = c.Symbol;
        var problem = ValidateSymbol(cfg);
        if (problem is not null) return Reject(ReturnCode.InvalidData, problem);
        if (!_symbolGroups.ContainsKey(cfg.SecurityIndex) && _symbolGroups.Count > 0)
        {
            return Reject(ReturnCode.SecurityNotFound, $"symbol group {cfg.SecurityIndex} not found");
        }

        if (_symbols.TryGetValue(cfg.Name, out var existing))
        {
            if (existing.OpenPositions > 0 && existing.Config.Digits != cfg.Digits)
            {
                return Reject(ReturnCode.SymbolUsedByTrade, "digits cannot change while positions are open");
            }
            cfg = cfg with { SymbolIndex = existing.Config.SymbolIndex };
            if (existing.Config.Source.Length > 0) _symbolsBySource.Remove(existing.Config.Source);
            existing.Refresh(cfg);
            if (cfg.Source.Length > 0) _symbolsBySource[cfg.Source] = existing;
            RebuildDerivedConfig();
            // Contract size, markups or conversions changed: exposures follow at once, as the records' profit does.
            RevalueAll();
            Emit(new SymbolEvent(RecordChange.Update, cfg));
            return Ok(cfg);
        }

        if (cfg.SymbolIndex == 0) cfg = cfg with { SymbolIndex = _symbolList.Count == 0 ? 1 : _symbolList.Max(s => s.Config.SymbolIndex) + 1 };
        var state = new SymbolState(cfg);
        state.Refresh(cfg);
        _symbols.Add(cfg.Name, state);
        _symbolList.Add(state);
        if (cfg.Source.Length > 0) _symbolsBySource[cfg.Source] = state;
        RebuildDerivedConfig();
        RevalueAll(); // a new pair can give other symbols a conversion rate
        Emit(new SymbolEvent(RecordChange.Add, cfg));
        return Ok(cfg);
    }

    private static string? ValidateSymbol(SymbolConfig c)
    {
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 32) return "symbol name must be 1-32 characters";
        if (c.Digits is < 0 or > 10) return "digits must be 0-10";
        if (c.ContractSize <= 0) return "contract size must be positive";
        if (c.TickSize < 0 || c.TickValue < 0) return "tick size and value cannot be negative";
        if (c.MarginMode == MarginCalcMode.Futures && c.MarginInitial <= 0) return "futures need a positive initial margin";
        if (c.StopsLevel < 0 || c.FreezeLevel < 0) return "stops and freeze levels cannot be negative";
        if (c.Sessions is { Count: not 7 }) return "sessions need 7 weekdays (0 = Sunday)";
        return null;
    }

    private (ReturnCode, string, object?) Delete(DeleteSymbol c)
    {
        if (!_symbols.TryGetValue(c.Name, out var s)) return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Name} not found");
        if (s.OpenPositions > 0 || _open.Values.Any(t => ReferenceEquals(t.Symbol, s)))
        {
            return Reject(ReturnCode.SymbolUsedByTrade, $"symbol {c.Name} has open trades");
        }
        _symbols.Remove(c.Name);
        _symbolList.Remove(s);
        if (s.Config.Source.Length > 0) _symbolsBySource.Remove(s.Config.Source);
        RebuildDerivedConfig();
        Emit(new SymbolEvent(RecordChange.Delete, s.Config));
        return Ok(s.Config);
    }

    private (ReturnCode, string, object?) Upsert(UpsertSymbolGroup c)
    {
        var cfg = c.SymbolGroup;
        if (string.IsNullOrWhiteSpace(cfg.Name) || cfg.Name.Length > 64) return Reject(ReturnCode.InvalidData, "name must be 1-64 characters");
        if (cfg.Description.Length > 256) return Reject(ReturnCode.InvalidData, "description is longer than 256 characters");
        if (c.AssignIndex && cfg.Index == 0) cfg = cfg with { Index = _symbolGroups.Count == 0 ? 0 : _symbolGroups.Keys.Max() + 1 };
        if (cfg.Index < 0) return Reject(ReturnCode.InvalidData, "index cannot be negative");
        var change = _symbolGroups.ContainsKey(cfg.Index) ? RecordChange.Update : RecordChange.Add;
        _symbolGroups[cfg.Index] = cfg;
        Emit(new SymbolGroupEvent(change, cfg));
        return Ok(cfg);
    }

    private (ReturnCode, string, object?) Delete(DeleteSymbolGroup c)
    {
        if (!_symbolGroups.TryGetValue(c.Index, out var cfg)) return Reject(ReturnCode.SecurityNotFound, $"symbol group {c.Index} not found");
        if (_symbolList.Any(s => s.Config.SecurityIndex == c.Index)) return Reject(ReturnCode.SecurityUsedBySymbol, "symbol group has symbols");
        _symbolGroups.Remove(c.Index);
        Emit(new SymbolGroupEvent(RecordChange.Delete, cfg));
        return Ok(cfg);
    }

    private (ReturnCode, string, object?) Upsert(UpsertGroup c)
    {
        var cfg = c.Group;
        if (string.IsNullOrWhiteSpace(cfg.Name) || cfg.Name.Length > 64) return Reject(ReturnCode.InvalidData, "group name must be 1-64 characters");
        if (cfg.Currency.Length is < 3 or > 8) return Reject(ReturnCode.InvalidData, "currency must be 3-8 characters");
        if (cfg.CurrencyDigits is < 0 or > 8) return Reject(ReturnCode.InvalidData, "currency digits must be 0-8");
        if (cfg.DefaultLeverage is < 1 or > 10_000) return Reject(ReturnCode.InvalidData, "default leverage must be 1-10000");
        if (cfg.StopOut < 0 || cfg.MarginCall < 0) return Reject(ReturnCode.InvalidData, "margin levels cannot be negative");
        if (cfg.StopOut > cfg.MarginCall) return Reject(ReturnCode.InvalidData, "stop-out level must not exceed the margin-call level");
        foreach (var sec in cfg.Securities ?? [])
        {
            if (sec.LotMin < 1 || sec.LotStep < 1 || sec.LotMax < sec.LotMin) return Reject(ReturnCode.InvalidData, $"bad lot limits for symbol group {sec.SecurityIndex}");
        }

        if (_groups.TryGetValue(cfg.Name, out var existing))
        {
            if (existing.Accounts > 0 && !string.Equals(existing.Config.Currency, cfg.Currency, StringComparison.Ordinal))
            {
                return Reject(ReturnCode.UserDifferentCurrency, "currency cannot change while the group has accounts");
            }
            if (existing.Accounts > 0 && existing.Config.CurrencyDigits != cfg.CurrencyDigits)
            {
                // Balances already booked at the old precision would no longer be whole units of the new one.
                return Reject(ReturnCode.InvalidData, "currency digits cannot change while the group has accounts");
            }
            existing.Config = cfg;
            RebuildDerivedConfig();
            RevalueAll();
            Emit(new GroupEvent(RecordChange.Update, cfg));
            return Ok(cfg);
        }

        var state = new GroupState(cfg);
        _groups.Add(cfg.Name, state);
        _groupList.Add(state);
        RebuildDerivedConfig();
        Emit(new GroupEvent(RecordChange.Add, cfg));
        return Ok(cfg);
    }

    private (ReturnCode, string, object?) Delete(DeleteGroup c)
    {
        if (!_groups.TryGetValue(c.Name, out var g)) return Reject(ReturnCode.GroupNotFound, $"group {c.Name} not found");
        if (g.Accounts > 0) return Reject(ReturnCode.GroupUsedByUser, "Group is still in use");
        _groups.Remove(c.Name);
        _groupList.Remove(g);
        RebuildDerivedConfig();
        Emit(new GroupEvent(RecordChange.Delete, g.Config));
        return Ok(g.Config);
    }

    /// <summary>
    /// Dealing settings of a symbol for a group: its per-security entry; the defaults when the group lists no
    /// securities at all (null); disabled when the group lists securities and this one is not among them
    /// (an empty list disables every symbol).
    /// </summary>
    private static GroupSecurity SecurityFor(GroupConfig group, SymbolConfig symbol) =>
        group.FindSecurity(symbol.SecurityIndex) ?? (group.Securities is null ? DefaultSecurity : DisabledSecurity);

    private static readonly GroupSecurity DefaultSecurity = new();
    private static readonly GroupSecurity DisabledSecurity = new() { TradeAllowed = false, Show = false };

    private void RevalueAll()
    {
        foreach (var s in _symbolList)
        {
            foreach (var e in s.Exposures) Revalue(e);
        }
    }
}
