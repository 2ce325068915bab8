using System.Diagnostics;
using System.Text.Json;

namespace Dealwire.LoadTest.Measurement;

/// <summary>
/// The history projector's progress over a measurement window, read from the server's <c>/health</c>
/// (<c>history.appliedSequence</c>, <c>history.lag</c>). The projector runs inside the server process, so its CPU is
/// in "server µs/cmd"; but when it cannot keep up it is capped at the one thread it runs on, falls behind (lag grows)
/// and its real cost per command is higher than the window shows, and the backlog is paid later (in the half phase).
/// These figures make that visible: "history applied/s" below "commands/s" means the projector is the bottleneck.
/// </summary>
public sealed class HistoryProgress
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly int _httpPort;
    private readonly (long Applied, long Lag)? _start;
    private readonly long _startTimestamp;

    private HistoryProgress(int httpPort, (long Applied, long Lag)? start)
    {
        _httpPort = httpPort;
        _start = start;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts a window; null when the target has no HTTP port (baselines, --endpoint).</summary>
    public static async Task<HistoryProgress?> StartAsync(int httpPort) =>
        httpPort <= 0 ? null : new HistoryProgress(httpPort, await ReadAsync(httpPort));

    /// <summary>Adds "history applied/s" (stream sequences stored per second over the window) and "history lag" (at its end).</summary>
    public async Task AddToAsync(Dictionary<string, double> metrics)
    {
        var end = await ReadAsync(_httpPort);
        var seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        if (_start is not { } start || end is not { } e) return;
        metrics["history applied/s"] = (e.Applied - start.Applied) / seconds;
        metrics["history lag"] = e.Lag;
    }

    private static async Task<(long Applied, long Lag)?> ReadAsync(int httpPort)
    {
        try
        {
            await using var body = await Http.GetStreamAsync(new Uri($"http://127.0.0.1:{httpPort}/health"));
            using var health = await JsonDocument.ParseAsync(body);
            if (!health.RootElement.TryGetProperty("history", out var history)) return null;
            return (history.GetProperty("appliedSequence").GetInt64(), history.GetProperty("lag").GetInt64());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // /health answers 503 while the engine is not running; the window then simply has no history figures.
            return null;
        }
    }
}
