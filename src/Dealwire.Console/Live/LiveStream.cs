using System.Text;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Live;

/// <summary>
/// A Server-Sent Events stream of one rendered fragment of a page. The fragment is rendered on the server (paged and
/// filtered there, so the browser gets one page of rows, never a list), sent when it differs from the last one sent,
/// and at most once per <see cref="ConsoleOptions.LiveInterval"/>: a feed ticking hundreds of times a second costs
/// each open page a couple of renders a second. The stream ends when the session does.
/// </summary>
public sealed class LiveStream(LiveChanges changes, ConsoleSessionStore sessions, ConsoleOptions options, TimeProvider time)
{
    /// <param name="render">The fragment now, or null when it is gone (the account left the mask, the trade closed).</param>
    public async Task RunAsync(HttpContext http, ConsoleSession session, Func<string?> render)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        string? last = null;
        try
        {
            // A comment first: the browser's EventSource reports the stream open before any data changes.
            await response.WriteAsync(": connected\n\n", ct);
            await response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var next = changes.NextAsync(ct);
                if (!sessions.IsOpen(session))
                {
                    await SendAsync(response, "expired", "session_expired", ct);
                    return;
                }
                var fragment = render();
                if (fragment is null)
                {
                    await SendAsync(response, "gone", "", ct);
                    return;
                }
                if (!string.Equals(fragment, last, StringComparison.Ordinal))
                {
                    await SendAsync(response, "fragment", fragment, ct);
                    last = fragment;
                }
                await next;
                await Task.Delay(options.LiveInterval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task SendAsync(HttpResponse response, string name, string data, CancellationToken ct)
    {
        var frame = new StringBuilder("event: ").Append(name).Append('\n');
        foreach (var line in data.Split('\n')) frame.Append("data: ").Append(line).Append('\n');
        await response.WriteAsync(frame.Append('\n').ToString(), ct);
        await response.Body.FlushAsync(ct);
    }
}
