using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// A connection whose every incoming line is kept, so a test can wait for messages in any order:
/// <see cref="ExpectAsync"/> first looks among the lines already read and not yet claimed, then reads on.
/// </summary>
public sealed class RecordedStream(LineClient client) : IAsyncDisposable
{
    private readonly List<(JsonElement Message, bool Claimed)> _lines = [];
    private long _next;

    public LineClient Client { get; } = client;

    /// <summary>Every JSON line received so far (quotes excluded).</summary>
    public IEnumerable<JsonElement> Received => _lines.Select(l => l.Message);

    public static async Task<RecordedStream> ConnectAsync(int port) => new(await LineClient.ConnectAsync(port));

    /// <summary>The first unclaimed message matching <paramref name="match"/>, reading more lines as needed.</summary>
    public async Task<JsonElement> ExpectAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var scanned = 0;
        while (true)
        {
            for (; scanned < _lines.Count; scanned++)
            {
                if (_lines[scanned].Claimed || !match(_lines[scanned].Message)) continue;
                _lines[scanned] = (_lines[scanned].Message, true);
                return _lines[scanned].Message;
            }
            string line;
            try
            {
                var left = deadline - DateTime.UtcNow;
                line = left > TimeSpan.Zero ? await Client.ReadLineAsync(left) : throw new TimeoutException();
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no {what}; received:\n{string.Join('\n', _lines.Select(l => l.Message.GetRawText()))}");
            }
            if (line.StartsWith("[\"t\"", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            _lines.Add((doc.RootElement.Clone(), false));
        }
    }

    // ---- Server API ----

    /// <summary>Sends a Server API command and returns its reply (<c>{"extID","status","data"}</c>).</summary>
    public async Task<JsonElement> CallAsync(string command, object? data, string token)
    {
        var id = "c" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        await Client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["command"] = command, ["data"] = data ?? new { }, ["extID"] = id, ["__token"] = token,
        }));
        var reply = await ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("extID", out var x)
            && x.ValueKind == JsonValueKind.String && x.GetString() == id, $"reply to {command}");
        Assert.True(reply.GetProperty("status").GetInt32() == 200, $"{command}: {reply.GetRawText()}");
        return reply.GetProperty("data");
    }

    /// <summary>The <c>data</c> of the next unclaimed Server API event object of this name whose data matches.</summary>
    public async Task<JsonElement> EventAsync(string name, Func<JsonElement, bool> match) =>
        (await ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("event", out var e) && e.GetString() == name
            && match(m.GetProperty("data")), name)).GetProperty("data");

    // ---- Manager API ----

    /// <summary>Sends a Manager API client message and returns the <c>server_message</c> of its reply.</summary>
    public async Task<JsonElement> ManagerCallAsync(string name, string body = "{}")
    {
        var id = "m" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        await Client.SendAsync($"{{\"message_id\":\"{id}\",\"message_response_id\":null,\"message_type\":{{\"client_message\":{{\"{name}\":{body}}}}}}}");
        var reply = await ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("message_response_id", out var r)
            && r.ValueKind == JsonValueKind.String && r.GetString() == id, $"reply to {name}");
        return ServerMessage(reply);
    }

    /// <summary>The next unclaimed pushed Manager API message whose <c>server_message</c> matches.</summary>
    public async Task<JsonElement> ManagerEventAsync(Func<JsonElement, bool> match, string what) =>
        ServerMessage(await ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("message_type", out var t)
            && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("server_message", out var s) && match(s), what));

    public static JsonElement ServerMessage(JsonElement envelope) => envelope.GetProperty("message_type").GetProperty("server_message");

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>Small JSON path helper: <c>e.At("a.b.c")</c>, with numeric parts as array indexes.</summary>
public static class JsonPath
{
    public static JsonElement At(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
        {
            e = int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && e.ValueKind == JsonValueKind.Array
                ? e[index]
                : e.GetProperty(part);
        }
        return e;
    }

    public static bool Has(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e)) return false;
        }
        return true;
    }
}
