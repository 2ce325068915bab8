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
            Description = "Group mask the manager may see, e.g. \"demo*\" (default *).",
            HelpName = "MASK",
            DefaultValueFactory = _ => "*",
        };
        var feeder = FeederOption("Name of the feeder (its source name in /health); issuing again for the same name replaces its key.");
        var symbols = new Option<string>("--symbols")
        {
            Description = "Feeder keys only: comma-separated symbols the feeder may push, e.g. \"EURUSD,GBPUSD\" (default: all).",
            HelpName = "LIST",
        };
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();

        var issue = new Command("issue", "Create a Manager API key (--manager) or a feeder key (--feeder); the secret is printed once on stdout and stored only hashed.")
        {
            manager, groups, feeder, symbols, dataDir, config,
        };
        RequireOneIdentity(issue, manager, feeder);
        issue.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            Directory.CreateDirectory(settings.DataDirectory);
            if (parse.GetValue(feeder) is { } feederName) return IssueFeeder(parse, settings.DataDirectory, feederName.Trim(), parse.GetValue(symbols));
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
        var revokeDir = CommonOptions.DataDir();
        var revokeConfig = CommonOptions.ConfigFile();
        var revoke = new Command("revoke", "Delete a Manager API key (a running server closes the sessions opened with it within a second) or a feeder key.")
        {
            revokeManager, revokeFeeder, revokeDir, revokeConfig,
        };
        RequireOneIdentity(revoke, revokeManager, revokeFeeder);
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
            var name = parse.GetRequiredValue(revokeManager).Trim();
            if (!new ManagerKeyStore(settings.DataDirectory).Revoke(name))
            {
                return CommonOptions.Fail(parse, $"No Manager API key for '{name}' in {settings.DataDirectory}.");
            }
            parse.InvocationConfiguration.Error.WriteLine($"Manager API key for '{name}' revoked; a running server closes its open sessions.");
            return 0;
        });

        return new Command("key", "Manager API and feeder secret keys.") { issue, revoke };
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

    /// <summary>A key belongs to a manager or to a feeder: exactly one of the two options.</summary>
    private static void RequireOneIdentity(Command command, Option<string> manager, Option<string> feeder)
    {
        command.Validators.Add(result =>
        {
            var hasManager = result.GetResult(manager) is not null;
            var hasFeeder = result.GetResult(feeder) is not null;
            if (!hasManager && !hasFeeder) result.AddError("Option '--manager' is required (or --feeder NAME for a feeder key).");
            else if (hasManager && hasFeeder) result.AddError("--manager and --feeder cannot be used together: a key belongs to one of them.");
        });
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
