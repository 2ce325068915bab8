using System.Diagnostics;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.Feeds.EndToEnd;

/// <summary>
/// tests/node/fix-md-acceptor.mjs: a FIX 4.4 market-data provider on the third-party jspurefix engine (npm), started
/// for a test. Commands go in on stdin; its session events come back as JSON lines, collected here.
/// </summary>
public sealed class JspurefixAcceptor : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly string _store = Directory.CreateTempSubdirectory("dealwire-jspurefix-").FullName;

    private JspurefixAcceptor(int port)
    {
        Port = port;
        var script = FindScript();
        var jspurefix = Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "jspurefix");
        if (!Directory.Exists(jspurefix)) throw new InvalidOperationException($"jspurefix is not installed: run `npm ci` in tests/node (scripts/setup.sh does). Looked in {jspurefix}");
        var start = new ProcessStartInfo("node", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "LP", "DW", _store])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data) || !e.Data.StartsWith('{')) return;
            lock (_events) _events.Add(JsonDocument.Parse(e.Data).RootElement.Clone());
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>True when node exited because its port was taken before it could listen (waits for its output to end).</summary>
    public bool ExitedWithAddressInUse()
    {
        if (!_process.HasExited) return false;
        _process.WaitForExit(); // the redirected streams are read to their end
        lock (_stderr) return _stderr.ToString().Contains("EADDRINUSE", StringComparison.Ordinal);
    }

    /// <summary>tests/node in the source tree, where `npm ci` installed jspurefix (node resolves it beside the script).</summary>
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "node", "fix-md-acceptor.mjs");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"tests/node/fix-md-acceptor.mjs not found above {AppContext.BaseDirectory}");
    }

    public static JspurefixAcceptor Start() => new(FreePorts.Take());

    public IReadOnlyList<JsonElement> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public int Count(string name) => Events.Count(e => e.GetProperty("event").GetString() == name);

    public async Task CommandAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the <paramref name="nth"/> (1-based) event called <paramref name="name"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, int nth = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var matches = Events.Where(e => e.GetProperty("event").GetString() == name).ToList();
            if (matches.Count >= nth) return matches[nth - 1];
            if (_process.HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"jspurefix acceptor: no '{name}' event #{nth}. Events:\n{string.Join('\n', Events.Select(e => e.GetRawText()))}\nstderr:\n{_stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_store, recursive: true);
        }
    }
}
