using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;

namespace Dealwire.ServerApi.Config;

/// <summary>
/// The server configuration as the gateway reads it, off the engine thread: seeded once from the engine at a batch
/// edge, then kept current from <see cref="ServerConfigEvent"/>s of the committed stream. Whichever of the two is
/// newer (by sequence) wins, so the seed and the stream may arrive in either order.
/// </summary>
public sealed class ServerConfigView(EngineRunner runner) : ILiveObserver
{
    private readonly object _lock = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = new();
    private ServerConfig? _config;
    private long _sequence = -1;
    private long _configSequence = -1;
    private Task? _seeding;

    /// <summary>The current configuration, or null until the seed has arrived (it is requested on first use).</summary>
    public ServerConfig? Current
    {
        get
        {
            lock (_lock)
            {
                if (_config is null) _seeding ??= SeedAsync();
                return _config;
            }
        }
    }

    /// <summary>The configuration once it reflects at least <paramref name="sequence"/> (a connection's last answered write).</summary>
    public async ValueTask<ServerConfig> GetAsync(long sequence)
    {
        Task wait;
        lock (_lock)
        {
            if (_config is null) _seeding ??= SeedAsync();
            if (_config is not null && _sequence >= sequence) return _config;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
            wait = done.Task;
        }
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        lock (_lock) return _config!;
    }

    /// <summary>
    /// Commands per second a new Server API connection may send: the configured <c>floodcontrol</c> when set,
    /// none when <c>antiflood</c> is 0, else the listener's own limit.
    /// </summary>
    public int CommandsPerSecond(int listenerLimit) => Current switch
    {
        { AntiFlood: 0 } => int.MaxValue,
        { FloodControl: > 0 } c => c.FloodControl,
        _ => listenerLimit,
    };

    private async Task SeedAsync()
    {
        var (sequence, config) = await runner.QueryAtBatchEdgeAsync(r => (r.LastSequence, r.ServerConfig)).ConfigureAwait(false);
        Offer(sequence, config);
    }

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events)
    {
        ServerConfig? latest = null;
        foreach (var e in events)
        {
            if (e is ServerConfigEvent c) latest = c.Config;
        }
        // Every batch moves the sequence on, so a GetConfig after an unrelated write does not wait for the next change.
        Offer(batch.LastSequence, latest);
    }

    /// <summary>
    /// A configuration as of <paramref name="sequence"/> (null: unchanged up to it). The newest by sequence wins: the
    /// seed taken at a batch edge already contains every change before it, so an older event arriving later is ignored.
    /// </summary>
    private void Offer(long sequence, ServerConfig? config)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            if (config is not null && sequence > _configSequence)
            {
                _config = config;
                _configSequence = sequence;
            }
            if (sequence > _sequence) _sequence = sequence;
            if (_config is null) return;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Sequence > _sequence) continue;
                (ready ??= new()).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        if (ready is not null) foreach (var d in ready) d.TrySetResult();
    }
}

/// <summary>
/// Facts of the installation GetConfig reports beside the engine's configuration: build, ports and paths. They
/// come from appsettings.json / the command line and need a restart to change (UpdateConfig says so).
/// </summary>
public sealed record ServerInstallation(string Build, int HttpPort, int TcpPort, int ManagerPort, int FixPort, int WsPort,
    string DatabasePath, string HistoryPath, string LogPath);
