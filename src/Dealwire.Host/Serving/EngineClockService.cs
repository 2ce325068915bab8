using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// Drives engine time from the host: applies the configured rollover time at start, then submits an
/// <see cref="AdvanceTime"/> every <see cref="EngineClockSettings.TimeAdvanceInterval"/>. The engine stamps it
/// with the runner's clock and journals it only when something was due (a rollover and end of day, an
/// expiry); otherwise it answers RET_OK_NONE and leaves no trace, so an idle server's journal does not grow.
/// </summary>
internal sealed class EngineClockService(EngineClockSettings settings, EngineRunner runner, TimeProvider clock, ILogger<EngineClockService> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await runner.SubmitAsync(new SetRolloverTime(settings.RolloverTime) { Actor = AdvanceTime.ClockActor }, cancellationToken);
        // A replica that does not lead takes the leader's rollover time from the replicated log instead.
        if (applied.Code == ReturnCode.NotLeader) logger.LogInformation("Engine:RolloverTime not applied here: {Reason}", applied.Message);
        else if (!applied.IsOk) throw new InvalidOperationException($"Engine:RolloverTime {settings.RolloverTime} was refused: {applied.Code} {applied.Message}");
        if (applied.Code == ReturnCode.Ok) logger.LogInformation("Rollover time set to {RolloverTime} UTC", settings.RolloverTime);
        _loop = RunAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public ValueTask DisposeAsync()
    {
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(settings.TimeAdvanceInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var result = await runner.SubmitAsync(new AdvanceTime { Actor = AdvanceTime.ClockActor }, stop);
                if (result.Code == ReturnCode.ErrShutdown) return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A journal failure stops the server on its own path; the clock only says why it stopped ticking.
            logger.LogError(ex, "Engine clock stopped");
        }
    }
}
