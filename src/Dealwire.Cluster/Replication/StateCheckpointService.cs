using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Cluster.Replication;

/// <summary>
/// The divergence check (docs/replication.md). On the leader, every <see cref="ClusterOptions.CheckpointInterval"/>:
/// a <see cref="TakeCheckpoint"/> goes into the log (every replica hashes its state at that sequence), then a
/// <see cref="VerifyCheckpoint"/> carrying the leader's hash (every replica compares its own). On every replica it
/// logs each verified (sequence, hash) and, once, a divergence as Critical; <c>/health</c> and the metrics read the
/// same monitor. Both commands travel the replicated log like any other, so a replica that restarts and replays its
/// journal checks itself again on the way.
/// </summary>
public sealed class StateCheckpointService(ReplicaNode node, EngineRunner runner, ClusterOptions options, TimeProvider time,
    ILogger<StateCheckpointService> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var monitor = runner.Checkpoints;
        var lastProposal = time.GetUtcNow();
        StateCheckpoint? reported = null;
        var divergenceReported = false;
        using var timer = new PeriodicTimer(Poll < options.CheckpointInterval ? Poll : options.CheckpointInterval, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            if (node.IsLeader && time.GetUtcNow() - lastProposal >= options.CheckpointInterval)
            {
                lastProposal = time.GetUtcNow();
                await ProposeAsync(stoppingToken);
            }
            if (monitor.Verified is { } verified && !ReferenceEquals(verified, reported))
            {
                reported = verified;
                log.LogInformation("State checkpoint verified at sequence {Sequence}: hash {Hash} equals the leader's", verified.Sequence, verified.Hash);
            }
            if (!divergenceReported && monitor.Divergence is { } divergence)
            {
                divergenceReported = true;
                log.LogCritical("DIVERGENCE on node {Node}: {Divergence}. Take this replica out of service and rebuild it from a healthy one's snapshot.",
                    node.NodeId, divergence);
            }
        }
    }

    private async Task ProposeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var taken = await runner.SubmitAsync(new TakeCheckpoint(), cancellationToken);
            if (taken.Code != Engine.Model.ReturnCode.Ok || taken.Value is not { } checkpoint) return; // leadership moved meanwhile
            await runner.SubmitAsync(new VerifyCheckpoint(checkpoint.Sequence, checkpoint.Hash), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Proposing a state checkpoint failed; the next interval tries again");
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
