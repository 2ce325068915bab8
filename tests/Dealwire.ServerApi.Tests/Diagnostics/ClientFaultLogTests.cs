using Dealwire.Gateway.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.ServerApi.Tests.Diagnostics;

/// <summary>
/// Client faults are logged at Information, never Error, and a client that floods the server with garbage cannot
/// flood the log: at most the window's quota reaches Information, the rest go to Debug, and the first line of the
/// next window says how many were held back.
/// </summary>
public sealed class ClientFaultLogTests
{
    [Fact]
    public void Faults_past_the_quota_of_a_window_are_held_back_and_counted_in_the_next_line()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logger = new RecordingLogger();
        var faults = new ClientFaultLog(logger, time, GatewayProtocol.ServerApi, perWindow: 3, window: TimeSpan.FromMinutes(1));

        for (var i = 0; i < 10; i++) faults.Report("7", "127.0.0.1:5000", "not JSON");

        Assert.Equal(10, faults.Total);
        Assert.Equal(10, logger.Lines.Count(l => l.Level == LogLevel.Debug));
        Assert.Equal(3, logger.Lines.Count(l => l.Level == LogLevel.Information));
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);

        // Still inside the window: held back.
        time.Advance(TimeSpan.FromSeconds(59));
        faults.Report("7", "127.0.0.1:5000", "not JSON");
        Assert.Equal(3, logger.Lines.Count(l => l.Level == LogLevel.Information));

        // A new window: logged again, saying how many the log did not show (7 + 1).
        time.Advance(TimeSpan.FromSeconds(2));
        faults.Report("7", "127.0.0.1:5000", "not JSON");
        var last = logger.Lines.Last(l => l.Level == LogLevel.Information);
        Assert.Contains("(8 more client faults not logged)", last.Message, StringComparison.Ordinal);
        Assert.Equal(4, logger.Lines.Count(l => l.Level == LogLevel.Information));
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
