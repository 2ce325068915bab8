using System.CommandLine;
using Dealwire.Host.Configuration;
using Dealwire.Persistence.Tools;
using Dealwire.Security;

namespace Dealwire.Host.Cli;

/// <summary>
/// <c>dealwire token issue</c>: prints a Server API token signed with the data directory's key. A user
/// token is bound to the account instance found in the data directory (its registration sequence).
/// </summary>
internal static class TokenCommand
{
    private static readonly Dictionary<string, SessionType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["admin"] = SessionType.Admin,
        ["manager"] = SessionType.Manager,
        ["dealer"] = SessionType.Dealer,
        ["user"] = SessionType.User,
    };

    public static Command Create()
    {
        var type = new Option<string>("--type")
        {
            Description = "Session type of the token.",
            Required = true,
        };
        type.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. Types.Keys]);
        var login = new Option<long?>("--login")
        {
            Description = "Account login (user tokens, required) or manager id (staff tokens, default 1).",
            HelpName = "N",
        };
        login.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is <= 0) result.AddError("--login must be a positive number.");
        });
        var groups = new Option<string>("--groups")
        {
            Description = "Group mask a staff token may see, e.g. \"demo*,!demo-netting\".",
            HelpName = "MASK",
            DefaultValueFactory = _ => "*",
        };
        var name = new Option<string?>("--name") { Description = "Display name carried in the token." };
        var rights = new Option<string?>("--rights")
        {
            Description = "Comma-separated manager rights, e.g. see_accounts,see_trades,config (default: every right a command checks; "
                + "admins hold all implicitly). Known: " + string.Join(", ", Rights.Known.Order(StringComparer.Ordinal)) + ".",
            HelpName = "LIST",
        };
        rights.Validators.Add(result =>
        {
            // A misspelt right would silently grant nothing: refuse it instead.
            var unknown = Split(result.GetValueOrDefault<string?>()).Where(r => !Rights.Known.Contains(r)).ToList();
            if (unknown.Count > 0) result.AddError($"Unknown right(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Rights.Known.Order(StringComparer.Ordinal))}.");
        });
        var ttl = CommonOptions.Duration("--ttl", TimeSpan.FromDays(1), "Lifetime of the token: 30m, 12h, 1d, 7d ... (default 1d).");
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();

        var issue = new Command("issue", "Print a signed Server API token (JWT) on stdout.")
        {
            type, login, groups, name, rights, ttl, dataDir, config,
        };
        issue.SetAction(parse =>
        {
            var sessionType = Types[parse.GetRequiredValue(type)];
            var id = parse.GetValue(login);
            if (sessionType == SessionType.User && id is null) return CommonOptions.Fail(parse, "--login is required for --type user.");

            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            Directory.CreateDirectory(settings.DataDirectory);
            long registration = 0;
            if (sessionType == SessionType.User)
            {
                // Bind the token to the account instance now holding the login (read from snapshot + journal).
                var account = DataTools.FindAccount(settings.DataDirectory, id!.Value);
                if (account is null) return CommonOptions.Fail(parse, $"Account {id} does not exist in {settings.DataDirectory}.");
                registration = account.RegistrationSequence;
            }
            var service = new TokenService(TokenService.LoadOrCreateKey(settings.DataDirectory));
            var identity = new SessionIdentity
            {
                Type = sessionType,
                Id = id ?? 1,
                Name = parse.GetValue(name) ?? $"{sessionType.ToString().ToLowerInvariant()}-{id ?? 1}",
                GroupMask = sessionType == SessionType.User ? "" : parse.GetValue(groups) ?? "*",
                Rights = RightsFor(sessionType, parse.GetValue(rights)),
                RegistrationSequence = registration,
            };
            var lifetime = parse.GetValue(ttl);
            var now = DateTimeOffset.UtcNow;
            var token = service.Issue(identity, lifetime, now);

            parse.InvocationConfiguration.Output.WriteLine(token);
            parse.InvocationConfiguration.Error.WriteLine(
                $"{identity.Type} token for id {identity.Id} (groups '{identity.GroupMask}'), expires {now.Add(lifetime):u}, key in {settings.DataDirectory}");
            return 0;
        });

        return new Command("token", "Server API tokens.") { issue };
    }

    private static HashSet<string> RightsFor(SessionType type, string? list)
    {
        if (list is not null) return Split(list).ToHashSet(StringComparer.Ordinal);
        return type is SessionType.Manager or SessionType.Dealer ? new HashSet<string>(Rights.ManagerDefault, StringComparer.Ordinal) : [];
    }

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
