using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Which trading groups a configuration change reaches, so a manager may make it only when its mask covers
/// them all (rights matrix rule "affected groups"). A group reaches a symbol through its symbol groups
/// (<c>secgroups</c>; a group whose list is null trades every symbol, <c>[]</c> none), and an account
/// holding a position or pending order in a symbol is reached whatever its group's settings say now.
/// </summary>
internal static class ConfigImpact
{
    /// <summary>Groups reached by a change to the symbols of these symbol groups, and to these symbols' trades.</summary>
    public static List<string> OfSymbols(IEngineReader r, IReadOnlyCollection<int> securityIndexes, IReadOnlyCollection<string> symbols)
    {
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var g in r.GetGroups())
        {
            if (g.Securities is null || g.Securities.Any(s => securityIndexes.Contains(s.SecurityIndex))) reached.Add(g.Name);
        }
        foreach (var t in r.GetPositions().Concat(r.GetPendingOrders()))
        {
            if (symbols.Contains(t.Symbol) && r.GetAccount(t.Login)?.Profile.Group is { } group) reached.Add(group);
        }
        return [.. reached];
    }

    /// <summary>A change to one symbol: its symbol group before and after the change.</summary>
    public static List<string> OfSymbol(IEngineReader r, string symbol, params int[] securityIndexes) =>
        OfSymbols(r, securityIndexes, [symbol]);

    /// <summary>A change to a symbol group: every group trading it and every account trading one of its symbols.</summary>
    public static List<string> OfSymbolGroup(IEngineReader r, int index)
    {
        var symbols = r.GetSymbols().Where(s => s.SecurityIndex == index).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return OfSymbols(r, [index], symbols);
    }

    /// <summary>
    /// A new symbol group joins the one catalogue every group's terminals and managers list (GetSymbolGroups, the
    /// "sc" reindex push) and may take an index some group's <c>secgroups</c> already names: it reaches every group.
    /// </summary>
    public static List<string> OfNewSymbolGroup(IEngineReader r) =>
        r.GetGroups().Select(g => g.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
