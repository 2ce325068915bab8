using System.CommandLine;
using Dealwire.Host.Configuration;
using Dealwire.Security;

namespace Dealwire.Host.Cli;

/// <summary>
/// <c>dealwire manager add|update|delete|list</c>: the manager records of a data directory (who staff tokens and
/// Manager API keys belong to). Works with the server running or stopped: a running server applies a change within
/// a quarter second and records it in its audit log. A password is read from standard input (<c>--password-stdin</c>),
/// never from the command line, where other users of the machine could see it.
/// </summary>
internal static class ManagerCommand
{
    public static Command Create()
    {
        return new Command("manager", "Manager records: rights, group mask and enable flag, read at every command of the manager's tokens and keys.")
        {
            Add(), Update(), Delete(), List(),
        };
    }

    private sealed class Fields
    {
        public readonly Option<string> Name = new("--name") { Description = "The manager's name (unique).", HelpName = "NAME", Required = true };
        public readonly Option<string?> Groups = new("--groups") { Description = "Group mask the manager may see, e.g. \"demo*\" (add: default *).", HelpName = "MASK" };
        public readonly Option<string?> Rights = new("--rights") { Description = "Comma-separated rights, replacing the current ones (add: the manager defaults). Known: " + string.Join(',', Security.Rights.Known.Order()), HelpName = "LIST" };
        public readonly Option<string?> Email = new("--email") { Description = "E-mail (unique when given).", HelpName = "EMAIL" };
        public readonly Option<bool?> Admin = new("--admin") { Description = "Whether the manager is an administrator (every right, admin-only commands)." };
        public readonly Option<bool?> Enable = new("--enable") { Description = "Whether the manager may work; false refuses its tokens and keys at their next command." };
        public readonly Option<bool> PasswordStdin = new("--password-stdin") { Description = "Read the AuthManager password (6-64 characters) from the first line of standard input." };
        public readonly Option<string> DataDir = CommonOptions.DataDir();
        public readonly Option<string> Config = CommonOptions.ConfigFile();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Name, Groups, Rights, Email, Admin, Enable, PasswordStdin, DataDir, Config }) command.Options.Add(option);
        }

        public ManagerKeyStore Store(ParseResult parse)
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, Config, (DataDir, "Host:DataDir")));
            Directory.CreateDirectory(settings.DataDirectory);
            return new ManagerKeyStore(settings.DataDirectory);
        }

        /// <summary>The record with the options given applied; an error message instead when one is invalid.</summary>
        public (ManagerRecord? Record, string? Error) Apply(ParseResult parse, ManagerRecord record)
        {
            record = record with { Name = parse.GetRequiredValue(Name).Trim() };
            if (parse.GetValue(Groups) is { } groups) record = record with { Groups = groups.Trim() };
            if (parse.GetValue(Email) is { } email) record = record with { Email = email.Trim() };
            if (parse.GetValue(Admin) is { } admin) record = record with { Admin = admin };
            if (parse.GetValue(Enable) is { } enable) record = record with { Enable = enable };
            if (parse.GetValue(Rights) is { } list)
            {
                var rights = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (rights.FirstOrDefault(r => !Security.Rights.Known.Contains(r)) is { } unknown) return (null, $"Unknown right '{unknown}'.");
                record = record with { Rights = rights };
            }
            if (parse.GetValue(PasswordStdin))
            {
                var password = Console.In.ReadLine() ?? "";
                if (password.Length is < 6 or > 64) return (null, "The password must be 6 to 64 characters.");
                record = record with { PasswordHash = PasswordHasher.Create(password) };
            }
            if (record.Name.Length is 0 or > 64) return (null, "--name must be 1 to 64 characters.");
            if (record.Groups.Length == 0) return (null, "--groups must not be empty.");
            return (record, null);
        }
    }

    private static Command Add()
    {
        var f = new Fields();
        var command = new Command("add", "Create a manager (prints its id).");
        f.AddTo(command);
        command.SetAction(parse =>
        {
            var store = f.Store(parse);
            var (draft, error) = f.Apply(parse, new ManagerRecord { Rights = Rights.ManagerDefault.ToList() });
            if (draft is null) return CommonOptions.Fail(parse, error!);
            try
            {
                var record = store.Managers.Add(draft, DateTimeOffset.UtcNow, store.NextId());
                parse.InvocationConfiguration.Output.WriteLine(record.Id);
                parse.InvocationConfiguration.Error.WriteLine($"Created {ManagerDirectory.Describe(record)}. Give it a Manager API key with: dealwire key issue --manager \"{record.Name}\"");
                return 0;
            }
            catch (ManagerRecordException ex)
            {
                return CommonOptions.Fail(parse, ex.Message);
            }
        });
        return command;
    }

    private static Command Update()
    {
        var f = new Fields();
        var command = new Command("update", "Change a manager found by --name: the options given replace its values; the change applies to its tokens and keys at their next command.");
        f.AddTo(command);
        command.SetAction(parse =>
        {
            var store = f.Store(parse);
            var name = parse.GetRequiredValue(f.Name).Trim();
            if (store.Managers.FindByName(name) is not { } current) return CommonOptions.Fail(parse, $"No manager named '{name}'.");
            var (changed, error) = f.Apply(parse, current);
            if (changed is null) return CommonOptions.Fail(parse, error!);
            try
            {
                var record = store.Managers.Update(current.Id, _ => changed, DateTimeOffset.UtcNow)!;
                parse.InvocationConfiguration.Error.WriteLine($"Updated {ManagerDirectory.Describe(record)}.");
                return 0;
            }
            catch (ManagerRecordException ex)
            {
                return CommonOptions.Fail(parse, ex.Message);
            }
        });
        return command;
    }

    private static Command Delete()
    {
        var name = new Option<string>("--name") { Description = "The manager to delete; its tokens and keys stop at once.", HelpName = "NAME", Required = true };
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();
        var command = new Command("delete", "Delete a manager (its id is never given again).") { name, dataDir, config };
        command.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            var store = new ManagerKeyStore(settings.DataDirectory);
            var wanted = parse.GetRequiredValue(name).Trim();
            if (store.Managers.FindByName(wanted) is not { } record) return CommonOptions.Fail(parse, $"No manager named '{wanted}'.");
            store.Managers.Delete(record.Id, DateTimeOffset.UtcNow);
            store.Revoke(record.Name);
            parse.InvocationConfiguration.Error.WriteLine($"Deleted manager {record.Id} '{record.Name}' and its Manager API key.");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();
        var command = new Command("list", "Print the managers, one a line.") { dataDir, config };
        command.SetAction(parse =>
        {
            var settings = HostSettings.From(CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir")));
            foreach (var record in new ManagerKeyStore(settings.DataDirectory).Managers.Listed)
            {
                parse.InvocationConfiguration.Output.WriteLine(ManagerDirectory.Describe(record));
            }
            return 0;
        });
        return command;
    }
}
