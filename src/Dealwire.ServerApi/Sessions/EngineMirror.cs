using System.Collections.Concurrent;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.ServerApi.Sessions;

/// <summary>
/// What the gateway mirrors from the engine so fan-out and permission checks need not ask it: the
/// group and registration sequence of each login, the symbols and the symbol groups. Kept current by events; filled once from
/// the engine when the first connection arrives (entries already set by events win over that read).
/// </summary>
internal sealed class EngineMirror
{
    private readonly ConcurrentDictionary<long, string> _groups = new();
    private readonly ConcurrentDictionary<long, long> _registrations = new();
    private readonly ConcurrentDictionary<string, SymbolConfig> _symbols = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, SymbolGroupConfig> _symbolGroups = new();
    private readonly object _seedGate = new();
    private Task? _seeded;

    public string? GroupOf(long login) => _groups.TryGetValue(login, out var group) ? group : null;

    /// <summary>The registration sequence of the account instance now holding <paramref name="login"/>; null when none does.</summary>
    public long? RegistrationOf(long login) => _registrations.TryGetValue(login, out var sequence) ? sequence : null;

    public void SetAccount(long login, string group, long registration)
    {
        _registrations[login] = registration;
        _groups[login] = group;
    }

    public void RemoveAccount(long login)
    {
        _groups.TryRemove(login, out _);
        _registrations.TryRemove(login, out _);
    }

    public ICollection<SymbolConfig> Symbols => _symbols.Values;

    public ICollection<SymbolGroupConfig> SymbolGroups => _symbolGroups.Values;

    public void SetSymbol(SymbolConfig symbol) => _symbols[symbol.Name] = symbol;

    public void RemoveSymbol(string name) => _symbols.TryRemove(name, out _);

    public void SetSymbolGroup(SymbolGroupConfig group) => _symbolGroups[group.Index] = group;

    public void RemoveSymbolGroup(int index) => _symbolGroups.TryRemove(index, out _);

    public Task EnsureSeededAsync(EngineRunner runner)
    {
        lock (_seedGate)
        {
            return _seeded ??= SeedAsync(runner);
        }
    }

    private async Task SeedAsync(EngineRunner runner)
    {
        try
        {
            var (accounts, symbols, groups) = await runner.QueryAsync(r => (
                r.GetAccounts(GroupMask.All).Select(a => (a.Profile.Login, a.Profile.Group, a.Profile.RegistrationSequence)).ToList(),
                r.GetSymbols().ToList(),
                r.GetSymbolGroups().ToList()));
            foreach (var (login, group, registration) in accounts)
            {
                _groups.TryAdd(login, group);
                _registrations.TryAdd(login, registration);
            }
            foreach (var s in symbols) _symbols.TryAdd(s.Name, s);
            foreach (var g in groups) _symbolGroups.TryAdd(g.Index, g);
        }
        catch (Exception) when (runner.State != EngineState.Running)
        {
            // A stopping engine: nothing left to stream, so an empty mirror is right.
        }
    }
}
