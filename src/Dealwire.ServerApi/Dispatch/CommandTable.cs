namespace Dealwire.ServerApi.Dispatch;

/// <summary>Handles one command; throws <see cref="Protocol.ProtocolException"/> to reject it.</summary>
internal delegate ValueTask<Reply> CommandHandler(CommandContext context);

internal sealed record CommandSpec(string Name, Access Access, MaskRule Mask, CommandHandler Handler);

/// <summary>
/// Every command name the gateway answers, filled by the command-family classes. A command's access comes from
/// the <see cref="RightsMatrix"/>, never from the registration: a name without a matrix entry cannot be added.
/// </summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandSpec> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _commands.Keys;

    public void Add(string name, CommandHandler handler)
    {
        var rights = RightsMatrix.For(name);
        _commands.Add(name, new CommandSpec(name, rights.Access, rights.Mask, handler));
    }

    public CommandSpec? Find(string name) => _commands.GetValueOrDefault(name);

    /// <summary>Throws when the matrix names a command nobody registered (a stale row would document a phantom).</summary>
    public void RequireMatrixCovered()
    {
        var missing = RightsMatrix.Commands.Keys.Where(name => !_commands.ContainsKey(name)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException("rights matrix rows without a command: " + string.Join(", ", missing));
    }
}
