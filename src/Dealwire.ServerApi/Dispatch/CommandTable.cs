namespace Dealwire.ServerApi.Dispatch;

/// <summary>Handles one command; throws <see cref="Protocol.ProtocolException"/> to reject it.</summary>
internal delegate ValueTask<Reply> CommandHandler(CommandContext context);

internal sealed record CommandSpec(string Name, Access Access, CommandHandler Handler);

/// <summary>Every command name the gateway answers, filled by the command-family classes.</summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandSpec> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _commands.Keys;

    public void Add(string name, Access access, CommandHandler handler) =>
        _commands.Add(name, new CommandSpec(name, access, handler));

    public CommandSpec? Find(string name) => _commands.GetValueOrDefault(name);
}
