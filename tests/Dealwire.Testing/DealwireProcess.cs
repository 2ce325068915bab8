using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dealwire.Security;

namespace Dealwire.Testing;

/// <summary>How to start a <see cref="DealwireProcess"/>.</summary>
public sealed class DealwireProcessOptions
{
    /// <summary>Extra environment, e.g. <c>["DEALWIRE__Feed__TicksPerSecondPerSymbol"] = "50"</c>. Inherited DEALWIRE__ variables are removed first.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra arguments appended after the generated <c>serve</c> flags.</summary>
    public List<string> ExtraArguments { get; } = [];

    /// <summary>How long to wait for <c>/health</c> to answer 200 (a start takes ~2 s of CPU; CI starts many at once on two cores).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop may take before the process is killed and the stop reported as failed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs once before the first launch, with the data directory already created: the place to issue Manager API
    /// keys (read at start) or write files the configuration points at. It may still add to <see cref="Environment"/>.
    /// </summary>
    public Func<DealwireProcess, Task>? BeforeFirstStart { get; set; }
}

/// <summary>
/// The real <c>dealwire serve</c> process for end-to-end tests: free loopback ports, a temporary data
/// directory, captured output, graceful stop, kill -9 and restart on the same data directory and ports.
/// Disposing always kills the process and deletes the temporary directory.
/// </summary>
public sealed class DealwireProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;
    internal const int ExitCodeAddressInUse = 3;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private readonly DealwireProcessOptions _options;
    private readonly string _root;
    private readonly object _outputGate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _combined = new();
    private Process? _process;
    private string? _adminToken;
    private int _launchOffset;

    private DealwireProcess(DealwireProcessOptions options)
    {
        _options = options;
        _root = Path.Combine(Path.GetTempPath(), "dealwire-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        DataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(DataDir);
    }

    public int ServerApiPort { get; private set; }

    public int ManagerApiPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>The feeder endpoint's port (<c>Feeds:Listener:Port</c>), free like the others so servers of parallel tests do not collide on 8085.</summary>
    public int FeederPort { get; private set; }

    /// <summary>The JSON socket's prices endpoint (<c>TraderSocket:PricesPort</c>), free like the others (not 8083).</summary>
    public int TraderPricesPort { get; private set; }

    /// <summary>The JSON socket's trading endpoint (<c>TraderSocket:TradingPort</c>), free like the others (not 8084).</summary>
    public int TraderTradingPort { get; private set; }
    /// <summary>The gRPC integration services' port (<c>Integration:Port</c>, h2c on loopback), free like the others.</summary>
    public int IntegrationPort { get; private set; }

    /// <summary>Address of the gRPC integration listener, e.g. http://127.0.0.1:41235.</summary>
    public Uri IntegrationAddress => new($"http://127.0.0.1:{IntegrationPort}");

    /// <summary>The data directory (inside a temporary directory deleted on dispose).</summary>
    public string DataDir { get; }

    /// <summary>The temporary directory holding <see cref="DataDir"/> (the working directory of the process), deleted on dispose.</summary>
    public string RootDir => _root;

    /// <summary>Base address of the HTTP endpoint, e.g. http://127.0.0.1:41234/.</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The demo admin token the server wrote to <c>admin-token.txt</c> on its first start.</summary>
    public string AdminToken => _adminToken ??= File.ReadAllText(Path.Combine(DataDir, "admin-token.txt")).Trim();

    /// <summary>Process id of the current server process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("Not started.");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything written to stdout so far, across restarts.</summary>
    public string StandardOutput
    {
        get { lock (_outputGate) return _stdout.ToString(); }
    }

    public string StandardError
    {
        get { lock (_outputGate) return _stderr.ToString(); }
    }

    /// <summary>stdout and stderr interleaved in arrival order, stderr lines prefixed "!".</summary>
    public string CapturedOutput
    {
        get { lock (_outputGate) return _combined.ToString(); }
    }

    /// <summary>stdout and stderr of the current (latest) launch only, in the format of <see cref="CapturedOutput"/>.</summary>
    public string OutputSinceLastStart
    {
        get { lock (_outputGate) return _combined.ToString(_launchOffset, _combined.Length - _launchOffset); }
    }

    /// <summary>Starts a server on free ports with a fresh data directory and waits until <c>/health</c> answers 200.</summary>
    public static async Task<DealwireProcess> StartAsync(DealwireProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new DealwireProcess(options ?? new DealwireProcessOptions());
        try
        {
            if (server._options.BeforeFirstStart is { } prepare) await prepare(server);
            // A port found free can be taken before the server binds it: try again with new ports.
            for (var attempt = 1; ; attempt++)
            {
                var ports = FreePorts.Take(7);
                (server.HttpPort, server.ServerApiPort, server.ManagerApiPort, server.FeederPort) = (ports[0], ports[1], ports[2], ports[3]);
                (server.TraderPricesPort, server.TraderTradingPort) = (ports[4], ports[5]);
                server.IntegrationPort = ports[6];
                var exitCode = await server.LaunchAsync(cancellationToken);
                if (exitCode is null) return server;
                if (exitCode != ExitCodeAddressInUse || attempt == 3) throw server.Failure($"dealwire exited with code {exitCode} before /health answered", exitCode);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A Server API token signed with this server's key. A user token is bound to the account instance
    /// the data directory holds for the login (as <c>dealwire token issue</c> does); 0 when there is none.
    /// </summary>
    public string IssueToken(SessionType type, long id, string groups = "*", TimeSpan? lifetime = null, IEnumerable<string>? rights = null, DateTimeOffset? now = null)
    {
        var service = new TokenService(TokenService.LoadOrCreateKey(DataDir));
        var identity = new SessionIdentity
        {
            Type = type,
            Id = id,
            Name = $"{type.ToString().ToLowerInvariant()}-{id}",
            GroupMask = groups,
            Rights = rights?.ToHashSet(StringComparer.Ordinal)
                ?? (type is SessionType.Manager or SessionType.Dealer ? new HashSet<string>(Rights.ManagerDefault) : []),
            RegistrationSequence = type == SessionType.User ? Dealwire.Persistence.Tools.DataTools.FindAccount(DataDir, id)?.RegistrationSequence ?? 0 : 0,
        };
        return service.Issue(identity, lifetime ?? TimeSpan.FromHours(1), now ?? DateTimeOffset.UtcNow);
    }

    /// <summary>GET on the HTTP endpoint.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken = default) =>
        Http.GetAsync(new Uri(HttpAddress, path), cancellationToken);

    /// <summary>The parsed body of <c>GET /health</c>; throws when it does not answer 200.</summary>
    public async Task<JsonElement> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var response = await GetAsync("health", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw Failure($"/health answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until the captured output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (!CapturedOutput.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout) throw Failure($"'{text}' did not appear in the output within {timeout.TotalSeconds:0.#} s");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGTERM, then waits for a graceful exit; returns the exit code. Kills and throws if it takes too long.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null || _process.HasExited) return _process?.ExitCode ?? 0;
        if (kill(_process.Id, SigTerm) != 0) throw Failure($"SIGTERM failed (errno {Marshal.GetLastPInvokeError()})");
        using var cts = new CancellationTokenSource(_options.StopTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw Failure($"dealwire did not stop within {_options.StopTimeout.TotalSeconds:0} s of SIGTERM and was killed");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs (crash tests).</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process freezes where it is (a long GC pause, a stalled VM); its sockets stay open.</summary>
    public void Pause() => Signal(SigStop, "SIGSTOP");

    /// <summary>SIGCONT: a paused process runs on from where it stopped, unaware that time passed.</summary>
    public void Resume() => Signal(SigCont, "SIGCONT");

    private void Signal(int signal, string name)
    {
        if (_process is null || _process.HasExited) return;
        if (kill(_process.Id, signal) != 0) throw Failure($"{name} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Stops the server gracefully if it runs, then starts it again on the same data directory and ports.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        for (var attempt = 1; ; attempt++)
        {
            var exitCode = await LaunchAsync(cancellationToken);
            if (exitCode is null) return;
            // Between stop and start another process (often a client's ephemeral socket) may take one of the ports. The
            // three client ports stay (tests reconnect to them; a busy one is retried after a pause); the auxiliary
            // listeners nobody in a restart test talks to are moved to fresh ports.
            if (exitCode != ExitCodeAddressInUse || attempt == 4) throw Failure($"dealwire exited with code {exitCode} while restarting", exitCode);
            var ports = FreePorts.Take(4);
            (FeederPort, TraderPricesPort, TraderTradingPort, IntegrationPort) = (ports[0], ports[1], ports[2], ports[3]);
            await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        _process?.Dispose();
        _process = null;
        if (Environment.GetEnvironmentVariable("DEALWIRE_KEEP_DATA") == "1")
        {
            // Debugging a failure: keep the data directory, with everything the process wrote, for a post-mortem.
            await File.WriteAllTextAsync(Path.Combine(_root, "output.log"), CapturedOutput);
            return;
        }
        for (var attempt = 0; attempt < 5 && Directory.Exists(_root); attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(100);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The start information for <c>dotnet dealwire.dll ARGS</c> with redirected output and hermetic DEALWIRE__ environment.</summary>
    public static ProcessStartInfo CreateStartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DealwireBinary.DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DEALWIRE__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment) start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>Starts the process and waits for health: null when healthy, the exit code when it died first.</summary>
    private async Task<int?> LaunchAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        var args = new List<string>
        {
            "serve",
            "--data-dir", DataDir,
            "--http-port", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--server-api-port", ServerApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--manager-api-port", ManagerApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        args.AddRange(_options.ExtraArguments);
        var environment = new Dictionary<string, string>(_options.Environment, StringComparer.Ordinal);
        environment.TryAdd("DEALWIRE__Feeds__Listener__Port", FeederPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environment.TryAdd("DEALWIRE__TraderSocket__PricesPort", TraderPricesPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environment.TryAdd("DEALWIRE__TraderSocket__TradingPort", TraderTradingPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        environment.TryAdd("DEALWIRE__Integration__Port", IntegrationPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = CreateStartInfo(args, environment, _root), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Capture(e.Data, error: true);
        lock (_outputGate) _launchOffset = _combined.Length;
        Capture($"--- dealwire {string.Join(' ', args)} ---", error: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                return process.ExitCode;
            }
            if (deadline.Elapsed > _options.StartTimeout)
            {
                await KillAsync();
                throw Failure($"/health did not answer 200 within {_options.StartTimeout.TotalSeconds:0} s");
            }
            try
            {
                using var response = await GetAsync("health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return null;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request timed out while the server was starting.
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private void Capture(string? line, bool error)
    {
        if (line is null) return;
        lock (_outputGate)
        {
            (error ? _stderr : _stdout).AppendLine(line);
            _combined.Append(error ? "! " : "").AppendLine(line);
        }
    }

    private DealwireProcessException Failure(string what, int? exitCode = null) =>
        new($"{what}. Ports http={HttpPort} server-api={ServerApiPort} manager-api={ManagerApiPort}, data {DataDir}.\n--- captured output ---\n{CapturedOutput}", exitCode);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>A test server that failed to start, restart or stop; <see cref="AddressInUse"/> when a port it was given was taken.</summary>
public sealed class DealwireProcessException(string message, int? exitCode) : InvalidOperationException(message)
{
    /// <summary>The process's exit code, when it exited.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>A listener could not bind (the server's exit code for a taken port): worth another try on other ports.</summary>
    public bool AddressInUse => ExitCode == DealwireProcess.ExitCodeAddressInUse;
}
