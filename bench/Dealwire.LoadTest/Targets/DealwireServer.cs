using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Targets;

/// <summary>
/// The real <c>dealwire serve</c> process on free loopback ports with a fresh data directory. Feed and
/// limits come through <c>DEALWIRE__Section__Key</c> environment variables, the host's configuration way.
/// </summary>
public sealed class DealwireServer : IAsyncDisposable
{
    private readonly string _dataDir;

    private DealwireServer(ServerProcess process, string dataDir, int port, int managerPort, int httpPort, string token)
    {
        Process = process;
        _dataDir = dataDir;
        Port = port;
        ManagerPort = managerPort;
        HttpPort = httpPort;
        Token = token;
    }

    /// <summary>Target name of Dealwire run with the journal released before it is written (the baselines persist nothing either).</summary>
    public const string NoDurability = "dealwire";

    /// <summary>Target name of Dealwire run with its default durability: every batch fsync'd before replies and events leave.</summary>
    public const string Fsync = "dealwire-fsync";

    /// <summary>Whether a target name is one of Dealwire's.</summary>
    public static bool IsDealwire(string target) => target is NoDurability or Fsync;

    /// <summary>The <c>Durability:Mode</c> setting of a Dealwire target.</summary>
    public static KeyValuePair<string, string> DurabilityOf(string target) => new("DEALWIRE__Durability__Mode", target switch
    {
        NoDurability => "None",
        Fsync => "Fsync",
        _ => throw new ArgumentException($"{target} is not a Dealwire target ({NoDurability}, {Fsync})"),
    });

    public ServerProcess Process { get; }

    public int Port { get; }

    /// <summary>The Manager API port.</summary>
    public int ManagerPort { get; }

    /// <summary>The HTTP port (<c>/health</c>, <c>/metrics</c>).</summary>
    public int HttpPort { get; }

    /// <summary>The demo admin token the server wrote to its data directory on first start.</summary>
    public string Token { get; }

    /// <summary>Set once from <c>--server-env</c>: applied to every Dealwire server after the scenario's own settings.</summary>
    public static IReadOnlyDictionary<string, string> ExtraEnvironment { get; set; } = new Dictionary<string, string>();

    /// <summary>Starts the server and waits until the Server API port accepts connections.</summary>
    /// <param name="beforeStart">Runs with the fresh data directory before the server starts (issuing Manager API keys, which the server reads at start).</param>
    public static async Task<DealwireServer> StartAsync(string serverDll, IDictionary<string, string> settings, Func<string, Task>? beforeStart = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("dealwire-bench-").FullName;
        if (beforeStart is not null) await beforeStart(dataDir);
        var port = Loopback.FreePort();
        var managerPort = Loopback.FreePort();
        var httpPort = Loopback.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["DEALWIRE__ServerApi__CommandsPerSecond"] = "10000000",
            ["DEALWIRE__ServerApi__MaxConnections"] = "30000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DEALWIRE__Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in settings) environment[k] = v;
        foreach (var (k, v) in ExtraEnvironment) environment[k] = v;
        var process = ServerProcess.Start("dotnet",
            [serverDll, "serve", "--data-dir", dataDir, "--server-api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--manager-api-port", managerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);
        try
        {
            await Loopback.WaitForPortAsync(port, TimeSpan.FromSeconds(90), () => process.Alive);
            var tokenFile = Path.Combine(dataDir, "admin-token.txt");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(tokenFile) && DateTime.UtcNow < deadline) await Task.Delay(100);
            var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
            return new DealwireServer(process, dataDir, port, managerPort, httpPort, token);
        }
        catch (Exception ex)
        {
            var tail = process.Tail;
            await process.DisposeAsync();
            TryDelete(dataDir);
            throw new InvalidOperationException($"dealwire serve did not come up: {ex.Message}\n{tail}", ex);
        }
    }

    /// <summary>Issues a Manager API key with <c>dealwire key issue</c> (the real CLI) and returns the secret it prints once.</summary>
    public static async Task<string> IssueManagerKeyAsync(string serverDll, string dataDir, string manager, string groups)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { serverDll, "key", "issue", "--manager", manager, "--groups", groups, "--data-dir", dataDir }) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet key issue.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        var secret = (await stdout).Trim();
        if (process.ExitCode != 0 || secret.Length == 0 || secret.Contains('\n', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"dealwire key issue failed ({process.ExitCode}): {await stderr}");
        }
        return secret;
    }

    public byte[] Request(string command, string data, string extId) =>
        System.Text.Encoding.UTF8.GetBytes($"{{\"command\":\"{command}\",\"data\":{data},\"extID\":\"{extId}\",\"__token\":\"{Token}\"}}\r\n");

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        TryDelete(_dataDir);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
