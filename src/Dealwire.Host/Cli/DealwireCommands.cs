using System.CommandLine;

namespace Dealwire.Host.Cli;

/// <summary>The command tree of the <c>dealwire</c> executable.</summary>
internal static class DealwireCommands
{
    public static RootCommand Create() => new("Dealwire: an open-source broker trading server.")
    {
        ServeCommand.Create(),
        TokenCommand.Create(),
        KeyCommand.Create(),
        ManagerCommand.Create(),
        DataCommand.Create(),
        HistoryCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var invocation = new InvocationConfiguration
        {
            // The generic host handles SIGINT/SIGTERM itself and shuts down in order; a second handler would race it.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await Create().Parse(args).InvokeAsync(invocation);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            // Configuration and file errors are the operator's to fix: one readable line, no stack trace.
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex}");
            return 1;
        }
    }
}
