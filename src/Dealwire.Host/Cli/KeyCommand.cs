using System.CommandLine;
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
            Required = true,
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
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();

        var issue = new Command("issue", "Create a Manager API key; the secret is printed once on stdout and stored only hashed.")
        {
            manager, groups, dataDir, config,
        };
        issue.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            Directory.CreateDirectory(settings.DataDirectory);
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
            Required = true,
        };
        var revokeDir = CommonOptions.DataDir();
        var revokeConfig = CommonOptions.ConfigFile();
        var revoke = new Command("revoke", "Delete a Manager API key; a running server closes the sessions opened with it within a second.")
        {
            revokeManager, revokeDir, revokeConfig,
        };
        revoke.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, revokeConfig, (revokeDir, "Host:DataDir")));
            var name = parse.GetRequiredValue(revokeManager).Trim();
            if (!new ManagerKeyStore(settings.DataDirectory).Revoke(name))
            {
                return CommonOptions.Fail(parse, $"No Manager API key for '{name}' in {settings.DataDirectory}.");
            }
            parse.InvocationConfiguration.Error.WriteLine($"Manager API key for '{name}' revoked; a running server closes its open sessions.");
            return 0;
        });

        return new Command("key", "Manager API secret keys.") { issue, revoke };
    }
}
