using Dealwire.Engine.Commands;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Configuration;
using Dealwire.Security;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// What a fresh server does before it listens: loads the embedded default into an engine that has no
/// symbols, and on the first start of a data directory issues a demo admin token.
/// </summary>
internal sealed class FirstStart(
    EngineRunner runner, TokenService tokens, DataDirectory dataDirectory, HostSettings settings,
    TimeProvider clock, ILogger<FirstStart> logger)
{
    /// <summary>True when the embedded default was applied on this start.</summary>
    public bool AppliedDefaults { get; private set; }

    /// <param name="loadDefaults">False on a replica before it leads: only the leader may sequence the default's commands.</param>
    public async Task RunAsync(TextWriter stdout, CancellationToken cancellationToken, bool loadDefaults = true)
    {
        var symbols = loadDefaults ? await runner.QueryAsync(r => r.GetSymbols().Count(), cancellationToken) : -1;
        if (symbols == 0) await LoadDefaultsAsync(DemoDefaults.Commands(), 0, cancellationToken);
        if (!File.Exists(dataDirectory.AdminTokenFile)) await IssueDemoAdminTokenAsync(stdout);
    }

    /// <summary>
    /// On a replica that has just opened its leadership (its engine holds everything committed before its term):
    /// sequences what the log lacks of the embedded default. Nothing when the engine holds the default whole, or holds
    /// a configuration that is not a prefix of it (an operator's, as a single node leaves an engine with symbols alone);
    /// the remaining commands when the log has none of it, or only its first commands (a leader deposed half-way).
    /// Stops at the first refusal: leadership moved on, and the next leader completes it.
    /// </summary>
    public async Task CompleteDefaultsAsync(CancellationToken cancellationToken)
    {
        var commands = DemoDefaults.Commands();
        var (held, onlyThose) = await runner.QueryAsync(r =>
        {
            var holds = commands.Select(c => Holds(r, c)).ToArray();
            return (holds, HoldsNothingElse(r, commands.Where((_, i) => holds[i]).ToList()));
        }, cancellationToken);
        var from = Array.IndexOf(held, false);
        if (from < 0) return; // whole
        // Anything but an unfinished default is an operator's configuration: leave it alone.
        if (held.Skip(from).Any(h => h) || !onlyThose) return;
        await LoadDefaultsAsync(commands, from, cancellationToken);
    }

    /// <summary>
    /// Sequences the default's commands from index <paramref name="from"/> on (the ones before it are held already). A
    /// refusal for not leading ends it (a replica's leadership moved on: the next leader completes it); any other refusal
    /// is logged and the rest still goes in.
    /// </summary>
    private async Task LoadDefaultsAsync(IReadOnlyList<EngineCommand> commands, int from, CancellationToken cancellationToken)
    {
        var failures = 0;
        var done = from;
        foreach (var command in commands.Skip(from))
        {
            var result = await runner.SubmitAsync(command, cancellationToken);
            if (result.IsOk)
            {
                done++;
                continue;
            }
            if (result.Code == ReturnCode.NotLeader)
            {
                logger.LogInformation("Embedded default: leadership moved after {Done} of its {Count} commands; the next leader completes it", done, commands.Count);
                return;
            }
            failures++;
            logger.LogError("Embedded default: {Command} was rejected: {Code}: {Message}", command.GetType().Name, result.Code, result.Message);
        }
        AppliedDefaults = failures == 0;
        if (AppliedDefaults)
        {
            logger.LogInformation("Empty engine: loaded the embedded default ({Symbols} symbols, groups {Hedging} and {Netting}, demo accounts {Login1} and {Login2}){Resumed}",
                DemoDefaults.Symbols().Count, DemoDefaults.HedgingGroup, DemoDefaults.NettingGroup, DemoDefaults.HedgingLogin, DemoDefaults.NettingLogin,
                from > 0 ? $", completing the {from} command(s) an earlier leader committed" : "");
        }
    }

    /// <summary>
    /// Whether the engine holds no symbol group, symbol, group or account but those <paramref name="held"/> created: an
    /// interrupted load of the default, not a configuration an operator built (or added to) since.
    /// </summary>
    private static bool HoldsNothingElse(IEngineReader reader, IReadOnlyCollection<EngineCommand> held) =>
        reader.GetSymbolGroups().Count() == held.OfType<UpsertSymbolGroup>().Count()
        && reader.GetSymbols().Count() == held.OfType<UpsertSymbol>().Count()
        && reader.GetGroups().Count() == held.OfType<UpsertGroup>().Count()
        && reader.GetAccounts(GroupMask.All).Count() == held.OfType<CreateAccount>().Count();

    /// <summary>Whether the engine already holds what one of the embedded default's commands creates.</summary>
    private static bool Holds(IEngineReader reader, EngineCommand command) => command switch
    {
        UpsertSymbolGroup g => reader.GetSymbolGroups().Any(s => s.Index == g.SymbolGroup.Index),
        UpsertSymbol s => reader.GetSymbol(s.Symbol.Name) is not null,
        UpsertGroup g => reader.GetGroup(g.Group.Name) is not null,
        CreateAccount a => reader.GetAccount(a.Profile.Login) is not null,
        _ => throw new InvalidOperationException($"The embedded default holds a {command.GetType().Name}, which {nameof(Holds)} does not know."),
    };

    private async Task IssueDemoAdminTokenAsync(TextWriter stdout)
    {
        var now = clock.GetUtcNow();
        var identity = new SessionIdentity { Type = SessionType.Admin, Id = 1, Name = "demo-admin", GroupMask = "*" };
        var token = tokens.Issue(identity, settings.DemoAdminTokenLifetime, now);
        SecretFile.WriteAllText(dataDirectory.AdminTokenFile, token + Environment.NewLine);

        var rule = new string('=', 78);
        await stdout.WriteLineAsync($"""
            {rule}
             DEMO ADMIN TOKEN - a secret: whoever holds it administers this server.
             Shown once; also saved to {dataDirectory.AdminTokenFile}
             Valid until {now.Add(settings.DemoAdminTokenLifetime):u}. More tokens: dealwire token issue --help
            {rule}
            {token}
            {rule}
            """);
        await stdout.FlushAsync();
    }
}
