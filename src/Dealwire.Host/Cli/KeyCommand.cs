using System.CommandLine;
using Dealwire.Feeds.Feeder;
using Dealwire.Host.Configuration;
using Dealwire.Security;

namespace Dealwire.Host.Cli;

/// <summary>
/// <c>dealwire key issue|revoke</c>: creates a Manager API secret key and prints it once (replacing an
/// earlier key of that name), or deletes one. A running server applies either to open sessions.
/// </summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var manager = new Option<string>("--manager")
        {
            Description = "Name of the manager identity; issuing again for the same name replaces its key.",
            HelpName = "NAME",
        };
        manager.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--manager must not be empty.");
        });
        var groups = new Option<string>("--groups")
        {
            Description = "Group mask the manager (or integration) may see, e.g. \"demo*\" (default *).",
            HelpName = "MASK",
            DefaultValueFactory = _ => "*",
        };
        var feeder = FeederOption("Name of the feeder (its source name in /health); issuing again for the same name replaces its key.");
        var integration = IntegrationOption("Name of a JSON-socket integration (TraderSocket ports); issuing again for the same name replaces its key.");
        var symbols = new Option<string>("--symbols")
        {
            Description = "Feeder keys only: comma-separated symbols the feeder may push, e.g. \"EURUSD,GBPUSD\" (default: all).",
            HelpName = "LIST",
        };
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();

        var issue = new Command("issue", "Create a Manager API key (--manager), a feeder key (--feeder) or a JSON-socket integration key (--integration); the secret is printed once on stdout and stored only hashed.")
        {
            manager, groups, feeder, symbols, integration, dataDir, config,
        };
        RequireOneIdentity(issue, manager, feeder, integration);
        issue.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            Directory.CreateDirectory(settings.DataDirectory);
            if (parse.GetValue(feeder) is { } feederName) return IssueFeeder(parse, settings.DataDirectory, feederName.Trim(), parse.GetValue(symbols));
            if (parse.GetValue(integration) is { } integrationName) return IssueIntegration(parse, settings.DataDirectory, integrationName.Trim(), parse.GetValue(groups) ?? "*");
            var store = new ManagerKeyStore(settings.DataDirectory);
            var name = parse.GetRequiredValue(manager).Trim();
            var mask = parse.GetValue(groups) ?? "*";
            var secret = store.Issue(name, mask, DateTimeOffset.UtcNow);
            var key = store.Find(secret)!;

            parse.InvocationConfiguration.Output.WriteLine(secret);
            parse.InvocationConfiguration.Error.WriteLine(
                $"Manager API key for '{key.Name}' (manager id {key.ManagerId}, groups '{key.GroupMask}'). It is shown only now; "
                + "a running server accepts it at once and closes sessions opened with an earlier key of this name.");
            return 0;
        });

        var revokeManager = new Option<string>("--manager")
        {
            Description = "Name of the manager identity whose key is deleted.",
            HelpName = "NAME",
        };
        var revokeFeeder = FeederOption("Name of the feeder whose key is deleted; its next connection is refused.");
        var revokeIntegration = IntegrationOption("Name of the JSON-socket integration whose key is deleted; a running server closes its open connections.");
        var revokeDir = CommonOptions.DataDir();
        var revokeConfig = CommonOptions.ConfigFile();
        var revoke = new Command("revoke", "Delete a Manager API key (a running server closes the sessions opened with it within a second), a feeder key or an integration key.")
        {
            revokeManager, revokeFeeder, revokeIntegration, revokeDir, revokeConfig,
        };
        RequireOneIdentity(revoke, revokeManager, revokeFeeder, revokeIntegration);
        revoke.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, revokeConfig, (revokeDir, "Host:DataDir")));
            if (parse.GetValue(revokeFeeder) is { } feederName)
            {
                if (!new FeederKeyStore(settings.DataDirectory).Revoke(feederName.Trim()))
                {
                    return CommonOptions.Fail(parse, $"No feeder key for '{feederName.Trim()}' in {settings.DataDirectory}.");
                }
                parse.InvocationConfiguration.Error.WriteLine($"Feeder key for '{feederName.Trim()}' revoked; its next connection is refused.");
                return 0;
            }
            if (parse.GetValue(revokeIntegration) is { } integrationName)
            {
                if (!new IntegrationKeyStore(settings.DataDirectory).Revoke(integrationName.Trim()))
                {
                    return CommonOptions.Fail(parse, $"No integration key for '{integrationName.Trim()}' in {settings.DataDirectory}.");
                }
                parse.InvocationConfiguration.Error.WriteLine($"Integration key for '{integrationName.Trim()}' revoked; a running server closes its open connections.");
                return 0;
            }
            var name = parse.GetRequiredValue(revokeManager).Trim();
            if (!new ManagerKeyStore(settings.DataDirectory).Revoke(name))
            {
                return CommonOptions.Fail(parse, $"No Manager API key for '{name}' in {settings.DataDirectory}.");
            }
            parse.InvocationConfiguration.Error.WriteLine($"Manager API key for '{name}' revoked; a running server closes its open sessions.");
            return 0;
        });

        return new Command("key", "Manager API, feeder and JSON-socket integration secret keys.") { issue, revoke };
    }

    private static Option<string> FeederOption(string description)
    {
        var feeder = new Option<string>("--feeder") { Description = description, HelpName = "NAME" };
        feeder.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--feeder must not be empty.");
        });
        return feeder;
    }

    private static Option<string> IntegrationOption(string description)
    {
        var integration = new Option<string>("--integration") { Description = description, HelpName = "NAME" };
        integration.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--integration must not be empty.");
        });
        return integration;
    }

    /// <summary>A key belongs to a manager, a feeder or an integration: exactly one of the options.</summary>
    private static void RequireOneIdentity(Command command, Option<string> manager, Option<string> feeder, Option<string> integration)
    {
        command.Validators.Add(result =>
        {
            var given = new[] { manager, feeder, integration }.Where(o => result.GetResult(o) is not null).ToList();
            if (given.Count == 0) result.AddError("Option '--manager' is required (or --feeder NAME for a feeder key, --integration NAME for a JSON-socket key).");
            else if (given.Count > 1) result.AddError($"{string.Join(" and ", given.Select(o => o.Name))} cannot be used together: a key belongs to one of them.");
        });
    }

    private static int IssueIntegration(ParseResult parse, string dataDirectory, string name, string mask)
    {
        var secret = new IntegrationKeyStore(dataDirectory).Issue(name, mask, DateTimeOffset.UtcNow);
        parse.InvocationConfiguration.Output.WriteLine(secret);
        parse.InvocationConfiguration.Error.WriteLine(
            $"Integration key for '{name}' (groups '{mask}'). It is shown only now; send it in auth_request on the JSON socket "
            + "(TraderSocket:PricesPort / TradingPort). A running server accepts it at once.");
        return 0;
    }

    private static int IssueFeeder(ParseResult parse, string dataDirectory, string name, string? symbolList)
    {
        var symbols = string.IsNullOrWhiteSpace(symbolList) || symbolList.Trim() == "*"
            ? null
            : symbolList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var secret = new FeederKeyStore(dataDirectory).Issue(name, symbols, DateTimeOffset.UtcNow);
        parse.InvocationConfiguration.Output.WriteLine(secret);
        parse.InvocationConfiguration.Error.WriteLine(
            $"Feeder key for '{name}' (symbols {(symbols is null ? "*" : string.Join(',', symbols))}). It is shown only now; send it as the first line "
            + "on the feeder port (Feeds:Listener:Port). A running server accepts it at once.");
        return 0;
    }
}
