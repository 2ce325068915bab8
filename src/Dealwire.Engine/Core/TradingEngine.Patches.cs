using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// Partial updates merged here, into the record as it is now, then applied through the same path as a
/// whole-record update (same validation, same events): the engine owns the merge, so concurrent patches
/// of different fields cannot overwrite each other.
/// </summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Patch(PatchAccount c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        return Update(new UpdateAccount(c.Patch.ApplyTo(account.Profile)));
    }

    private (ReturnCode, string, object?) Patch(PatchSymbol c)
    {
        if (!_symbols.TryGetValue(c.Name, out var symbol)) return Reject(ReturnCode.SymbolNotFound, $"symbol {c.Name} not found");
        return Upsert(new UpsertSymbol(c.Patch.ApplyTo(symbol.Config)));
    }

    private (ReturnCode, string, object?) Patch(PatchSymbolGroup c)
    {
        if (!_symbolGroups.TryGetValue(c.Index, out var group)) return Reject(ReturnCode.SecurityNotFound, $"symbol group {c.Index} not found");
        return Upsert(new UpsertSymbolGroup(c.Patch.ApplyTo(group)));
    }

    private (ReturnCode, string, object?) Patch(PatchGroup c)
    {
        GroupConfig current;
        if (_groups.TryGetValue(c.Name, out var group)) current = group.Config;
        else if (c.CreateIfMissing) current = new GroupConfig { Name = c.Name };
        else return Reject(ReturnCode.GroupNotFound, $"group {c.Name} not found");
        return Upsert(new UpsertGroup(c.Patch.ApplyTo(current)));
    }
}
