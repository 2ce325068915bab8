using Dealwire.Engine.Commands;
using Dealwire.Engine.Defaults;
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
        if (symbols == 0) await ApplyDefaultsAsync(cancellationToken);
        if (!File.Exists(dataDirectory.AdminTokenFile)) await IssueDemoAdminTokenAsync(stdout);
    }

    private async Task ApplyDefaultsAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        foreach (var command in DemoDefaults.Commands())
        {
            var (ok, message) = await SubmitAsync(command, cancellationToken);
            if (ok) continue;
            failures++;
            logger.LogError("Embedded default: {Command} was rejected: {Message}", command.GetType().Name, message);
        }
        AppliedDefaults = failures == 0;
        if (AppliedDefaults)
        {
            logger.LogInformation("Empty engine: loaded the embedded default ({Symbols} symbols, groups {Hedging} and {Netting}, demo accounts {Login1} and {Login2})",
                DemoDefaults.Symbols().Count, DemoDefaults.HedgingGroup, DemoDefaults.NettingGroup, DemoDefaults.HedgingLogin, DemoDefaults.NettingLogin);
        }
    }

    /// <summary>Submits one of the embedded default's commands, whatever its result type.</summary>
    private async Task<(bool Ok, string Message)> SubmitAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        var result = await runner.SubmitAsync(command, cancellationToken);
        return (result.IsOk, $"{result.Code}: {result.Message}");
    }

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
