using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dealwire.Host.Configuration;
using Dealwire.Host.Serving;
using Dealwire.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Dealwire.Host.Tests.Observability;

/// <summary>
/// The trace of one command: the server runs in this process so OpenTelemetry's in-memory exporter sees its
/// spans, exactly as the OTLP exporter would get them. A Server API command is one span from its arrival to its
/// reply, with the engine's apply and the journal's write and fsync of its batch as children.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CommandTraceTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "dealwire-trace-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _ports = FreePorts.Take(3);
    private TracerProvider _tracing = null!;
    private Task<int> _server = null!;

    private int HttpPort => _ports[0];

    private int ServerApiPort => _ports[1];

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Dealwire.*")
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_spans)
            .Build()!;
        var configuration = DealwireConfiguration.Build(null,
        [
            new("Host:DataDir", _dataDir), new("Host:HttpPort", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ServerApi:Port", ServerApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ManagerApi:Port", _ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Feed:Kind", "None"),
        ]);
        _server = Task.Run(() => DealwireServer.RunAsync(configuration, TextWriter.Null, TextWriter.Null, _stop.Token));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var health = await http.GetAsync($"http://127.0.0.1:{HttpPort}/health");
                if (health.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_server.IsCompleted)
            {
            }
            Assert.False(_server.IsCompleted, "the server stopped while starting");
            Assert.True(DateTime.UtcNow < deadline, "the server did not start in 30 s");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        await _server;
        _tracing.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task A_command_is_one_span_from_the_socket_to_the_reply_with_its_engine_and_journal_spans()
    {
        var token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin-token.txt"))).Trim();
        await using var client = await LineClient.ConnectAsync(ServerApiPort);
        await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["command"] = "AddUser", ["extID"] = "traced", ["__token"] = token,
            ["data"] = new { group = "demo", name = "Traced", email = "traced@example.com", password = "secret1", leverage = 100, enable = 1 },
        }));
        JsonElement reply;
        do
        {
            reply = JsonDocument.Parse(await client.ReadLineAsync()).RootElement;
        }
        while (!(reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("extID", out var id) && id.GetString() == "traced"));
        Assert.True(reply.GetProperty("status").GetInt32() == 200, reply.GetRawText());

        // The command's span ends before its reply is queued; the journal's spans end before the batch is released.
        Activity[] spans;
        lock (_spans) spans = [.. _spans];
        var command = Assert.Single(spans, s => s.Source.Name == "Dealwire.ServerApi" && s.DisplayName == "AddUser");
        Assert.Equal(ActivityKind.Server, command.Kind);
        Assert.Equal("server_api", command.GetTagItem("dealwire.protocol"));
        var children = spans.Where(s => s.TraceId == command.TraceId && s.ParentSpanId == command.SpanId).ToList();
        var apply = Assert.Single(children, s => s.Source.Name == "Dealwire.Engine" && s.DisplayName == "engine.apply");
        Assert.Equal("CreateAccount", apply.GetTagItem("dealwire.engine.command"));
        var write = Assert.Single(children, s => s.Source.Name == "Dealwire.Persistence" && s.DisplayName == "journal.write");
        var fsync = Assert.Single(children, s => s.Source.Name == "Dealwire.Persistence" && s.DisplayName == "journal.fsync");
        // In order, inside the command's span: applied, then written, then synced, then replied (1 ms for clock rounding).
        var slack = TimeSpan.FromMilliseconds(1);
        Assert.True(apply.StartTimeUtc >= command.StartTimeUtc, "applied before the command arrived");
        Assert.True(write.StartTimeUtc + slack >= apply.StartTimeUtc + apply.Duration, "written before it was applied");
        Assert.True(fsync.StartTimeUtc + slack >= write.StartTimeUtc + write.Duration, "synced before it was written");
        Assert.True(fsync.StartTimeUtc + fsync.Duration <= command.StartTimeUtc + command.Duration + slack, "replied before it was durable");
    }
}
