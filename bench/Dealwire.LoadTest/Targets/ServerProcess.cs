using System.Diagnostics;

namespace Dealwire.LoadTest.Targets;

/// <summary>A server process the tool started and must stop: its pid for /proc figures, its output for diagnostics.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<string, bool>? _lineWanted;
    private TaskCompletionSource<string>? _wanted;

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool Alive => !_process.HasExited;

    /// <summary>Unix ms just before the process was launched (a lower bound for anything it timestamps).</summary>
    public long LaunchedUnixMs { get; private init; }

    public string Tail => string.Join('\n', _output.TakeLast(20));

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        var launched = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerProcess(process) { LaunchedUnixMs = launched };
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Count < 2000) _output.Add(line);
            if (_wanted is not null && _lineWanted!(line))
            {
                _wanted.TrySetResult(line);
                _wanted = null;
            }
        }
        _firstLine.TrySetResult(line);
    }

    /// <summary>Writes a control line (child servers of this tool) and waits for the answer line.</summary>
    public async Task<string> AskAsync(string command, Func<string, bool> answer, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            _lineWanted = answer;
            _wanted = tcs;
        }
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await tcs.Task.WaitAsync(timeout);
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> wanted, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var seen = _output.FirstOrDefault(wanted);
            if (seen is not null) return seen;
            _lineWanted = wanted;
            _wanted = tcs;
        }
        return await tcs.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first so the host shuts down cleanly; the kill below is the bounded fallback.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(2000);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
