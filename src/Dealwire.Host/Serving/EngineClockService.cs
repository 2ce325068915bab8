using Dealwire.Cluster;
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
/// In a replica set the node that leads sets the rollover time: at start if it leads then, else at the first tick of each
/// leadership it gains (a follower takes the leader's value from the replicated log meanwhile).
/// </summary>
internal sealed class EngineClockService(EngineClockSettings settings, EngineRunner runner, TimeProvider clock, IClusterStatus cluster,
    ILogger<EngineClockService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private bool _rolloverSet;
    private bool _leading;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A gateway node's engine follows the leader's clock through the log; it has none of its own to drive.
        if (cluster.Role == "gateway") return;
        _leading = cluster.Role == "leader";
        var applied = await SetRolloverAsync(cancellationToken);
        if (applied.Code != ReturnCode.NotLeader && !applied.IsOk)
        {
            throw new InvalidOperationException($"Engine:RolloverTime {settings.RolloverTime} was refused: {applied.Code} {applied.Message}");
        }
        _loop = RunAsync(_stop.Token);
    }

    private async Task<CommandResult<object>> SetRolloverAsync(CancellationToken cancellationToken)
    {
        EngineCommand command = new SetRolloverTime(settings.RolloverTime) { Actor = AdvanceTime.ClockActor };
        var applied = await runner.SubmitAsync(command, cancellationToken);
        _rolloverSet = applied.IsOk;
        // A replica that does not lead takes the leader's rollover time from the replicated log instead.
        if (applied.Code == ReturnCode.NotLeader) logger.LogInformation("Engine:RolloverTime not applied here: {Reason}", applied.Message);
        if (applied.Code == ReturnCode.Ok) logger.LogInformation("Rollover time set to {RolloverTime} UTC", settings.RolloverTime);
        else if (applied.IsOk) logger.LogInformation("Rollover time {RolloverTime} UTC already in effect", settings.RolloverTime);
        return applied;
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
                var leading = cluster.Role == "leader";
                if (leading && !_leading) _rolloverSet = false; // a leadership gained: this node's setting applies now
                _leading = leading;
                if (leading && !_rolloverSet) await SetRolloverAsync(stop);
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
