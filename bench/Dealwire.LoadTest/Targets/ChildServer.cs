using System.Globalization;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Targets;

/// <summary>
/// A baseline server (transport ceiling, echo, Redis feed) run as a separate process of this tool, so its
/// CPU and memory are measured from /proc exactly like Dealwire's and never mixed with the load generator's.
/// Control is one line on stdin, one answer line on stdout.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private ChildServer(ServerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ServerProcess Process { get; }

    public int Port { get; }

    public static async Task<ChildServer> StartAsync(string mode, IEnumerable<string> arguments)
    {
        var port = Loopback.FreePort();
        var tool = typeof(ChildServer).Assembly.Location;
        var process = ServerProcess.Start("dotnet", [tool, "child", mode, "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments], redirectInput: true);
        await process.WaitForLineAsync(l => l.StartsWith("ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return new ChildServer(process, port);
    }

    /// <summary>Sends a control command; the answer's second word (if any) is returned.</summary>
    public async Task<string> CommandAsync(string command)
    {
        var answer = await Process.AskAsync(command, l => l.StartsWith("ok", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        if (answer.StartsWith("error", StringComparison.Ordinal)) throw new InvalidOperationException($"{command}: {answer}");
        return answer.Length > 3 ? answer[3..] : "";
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
