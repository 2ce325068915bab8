using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests.Infrastructure;

/// <summary>
/// A raw-socket client of the JSON socket: sends the spec's client lines byte for byte, reads server lines, and
/// (by default) answers each <c>Ping</c> with the spec's <c>Pong</c>, as an integration must.
/// </summary>
public sealed partial class TraderClient : IAsyncDisposable
{
    private TraderClient(LineClient line) => Line = line;

    public LineClient Line { get; }

    /// <summary>Answer the server's Pings (true unless a test plays a silent client).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>Pings read so far.</summary>
    public int PingsSeen { get; private set; }

    public static async Task<TraderClient> ConnectAsync(int port) => new(await LineClient.ConnectAsync(port));

    public static string AuthLine(string secret) =>
        $"{{\"message_id\":\"test\",\"message_type\":{{\"client_message\":{{\"auth_request\":{{\"secret_key\":\"{secret}\"}}}}}}}}";

    public const string PongLine = "{\"message_id\":\"test\",\"message_type\":\"Pong\"}";

    /// <summary>Sends the spec's auth_request and returns the raw auth_result line.</summary>
    public async Task<string> AuthenticateAsync(string secret)
    {
        await Line.SendAsync(AuthLine(secret));
        return await Line.ReadLineAsync();
    }

    /// <summary>The next line that is not a Ping (Pings are answered when <see cref="AnswerPings"/>).</summary>
    public async Task<string> NextAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no message in time");
            var line = await Line.ReadLineAsync(left);
            if (Normalize(line) != "{\"message_id\":\"test\",\"message_type\":\"Ping\"}") return line;
            PingsSeen++;
            if (AnswerPings) await Line.SendAsync(PongLine);
        }
    }

    /// <summary>Reads (answering Pings) until the server closes the connection; false when it is still open after <paramref name="timeout"/>.</summary>
    public async Task<bool> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline) await NextAsync(deadline - DateTime.UtcNow);
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (TimeoutException)
        {
        }
        return false;
    }

    /// <summary>Reads server messages until one matches; every message read (the match included) is added to <paramref name="seen"/>.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, List<JsonElement>? seen = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching message in time");
            var message = Parse(await NextAsync(left));
            seen?.Add(message);
            if (match(message)) return message;
        }
    }

    public static JsonElement Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    /// <summary>The line with its UUIDs replaced by the spec examples' placeholders: message_id "test", session_id "id".</summary>
    public static string Normalize(string line) =>
        SessionId().Replace(MessageId().Replace(line, "\"message_id\":\"test\""), "\"session_id\":\"id\"");

    [GeneratedRegex("\"message_id\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"")]
    private static partial Regex MessageId();

    [GeneratedRegex("\"session_id\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"")]
    private static partial Regex SessionId();

    public ValueTask DisposeAsync() => Line.DisposeAsync();

    public Socket Socket => Line.Socket;
}

/// <summary>Reading pushes: <c>message_type.server_message.&lt;kind&gt;[.&lt;variant&gt;]</c>.</summary>
public static class Push
{
    public static bool Is(JsonElement m, string kind, out JsonElement payload)
    {
        payload = default;
        return m.TryGetProperty("message_type", out var t) && t.ValueKind == JsonValueKind.Object
            && t.TryGetProperty("server_message", out var s) && s.TryGetProperty(kind, out payload);
    }

    public static bool Is(JsonElement m, string kind, string variant, out JsonElement body)
    {
        body = default;
        return Is(m, kind, out var payload) && payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(variant, out body);
    }

    /// <summary>An account_update carrying a balance operation with this comment.</summary>
    public static bool IsOperation(JsonElement m, string comment) =>
        Is(m, "account_event", "account_update", out var u) && u.GetProperty("operation").ValueKind == JsonValueKind.Object
        && u.GetProperty("operation").GetProperty("comment").GetString() == comment;

    /// <summary>The account id a trading push is about.</summary>
    public static string? AccountOf(JsonElement m)
    {
        if (Is(m, "account_event", "account_added", out var a)) return a.GetProperty("id").GetString();
        if (Is(m, "account_event", "account_update", out var u)) return u.GetProperty("account").GetProperty("id").GetString();
        foreach (var kind in new[] { "position", "pending_position" })
        {
            if (!Is(m, kind, out var p)) continue;
            foreach (var v in p.EnumerateObject()) return v.Value.GetProperty("account_id").GetString();
        }
        return null;
    }
}
