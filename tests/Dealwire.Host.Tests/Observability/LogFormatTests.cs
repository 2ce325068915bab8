using System.Text.Json;
using Dealwire.Gateway.Diagnostics;
using Dealwire.Testing;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Tests.Observability;

/// <summary>Structured logs: the JSON console format, and the command scope on every line of a command's work.</summary>
public sealed class LogFormatTests
{
    [Fact]
    public void Every_line_logged_during_a_command_carries_its_connection_login_and_command()
    {
        var lines = new List<(string Message, Dictionary<string, object?> Scope)>();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new ScopeRecorder(lines)));
        var logger = factory.CreateLogger("test");
        var telemetry = new CommandTelemetry(GatewayProtocol.ServerApi);

        using (telemetry.Start(logger, "AddUser", 17L, 1001))
        {
            logger.LogInformation("inside");
        }
        logger.LogInformation("after");

        var inside = lines.Single(l => l.Message == "inside").Scope;
        Assert.Equal((17L, 1001L, "AddUser"), ((long)inside["ConnectionId"]!, (long)inside["Login"]!, (string)inside["Command"]!));
        Assert.Empty(lines.Single(l => l.Message == "after").Scope);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Log_format_json_writes_one_json_object_per_line_with_scopes()
    {
        var options = new DealwireProcessOptions();
        options.ExtraArguments.AddRange(["--log-format", "json"]);
        options.Environment["DEALWIRE__Feed__Kind"] = "None";
        await using var server = await DealwireProcess.StartAsync(options);
        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            // A client fault: logged at Information, outside any command.
            await client.SendAsync("not json");
            await client.ReadLineAsync();
        }
        await server.WaitForOutputAsync("Client fault", TimeSpan.FromSeconds(10));

        var logLines = server.StandardOutput.Split('\n').Where(l => l.StartsWith("{\"Timestamp\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(logLines);
        var fault = logLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("Message").GetString()!.StartsWith("Client fault", StringComparison.Ordinal));
        Assert.Equal("Information", fault.GetProperty("LogLevel").GetString());
        Assert.True(fault.GetProperty("State").TryGetProperty("Connection", out _), fault.GetRawText());
        Assert.Equal(JsonValueKind.Array, fault.GetProperty("Scopes").ValueKind);
    }

    /// <summary>Records each line with the scope values in force, as a formatter with IncludeScopes sees them.</summary>
    private sealed class ScopeRecorder(List<(string, Dictionary<string, object?>)> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        private void Add(string message, Dictionary<string, object?> scope)
        {
            lock (lines) lines.Add((message, scope));
        }

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecorder owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                owner._scopes.ForEachScope((s, d) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs) foreach (var (k, v) in pairs) d[k] = v;
                }, scope);
                owner.Add(formatter(state, exception), scope);
            }
        }
    }
}
