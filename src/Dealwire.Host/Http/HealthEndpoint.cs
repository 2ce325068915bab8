using Dealwire.Cluster;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Serving;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Dealwire.Host.Http;

/// <summary>The body of <c>GET /health</c>.</summary>
public sealed record HealthReport(
    string Status, string Engine, int Symbols, int Accounts, long TicksProcessed, long TicksDropped,
    long Sequence, long CommandsApplied, long CommandsRejected, long UptimeSeconds, FeedHealth Feed,
    IReadOnlyList<StreamConsumerStatus>? StreamConsumers = null, HistoryHealth? History = null, ClusterHealth? Cluster = null);

/// <summary>
/// This node in its cluster: <c>Role</c> is <c>leader</c>, <c>follower</c> or <c>gateway</c> (a single node leads itself).
/// <c>Following</c>: on a gateway, the replica whose committed stream it follows now (null while it looks for one, and on a replica).
/// </summary>
public sealed record ClusterHealth(string Role, string? NodeId, string? LeaderId, long Term, long AppliedSequence, string? DivergenceAlarm, long VerifiedCheckpoint,
    string? Following = null);

public sealed record FeedHealth(string Kind, long TicksOffered, long TicksAccepted, long TicksFiltered, IReadOnlyList<FeedSourceHealth> Sources);

/// <summary>One quote source in /health: <c>LastTickAgeMs</c> is null before its first tick; <c>Standby</c> counts ticks dropped while a preferred source was active.</summary>
public sealed record FeedSourceHealth(string Name, int Priority, bool Connected, long? LastTickAgeMs, long Accepted, long Filtered, long Standby);

/// <summary>The history projector: store provider, last stored sequence, sequences behind the stream, the write error while retrying.</summary>
public sealed record HistoryHealth(string Provider, bool Running, long AppliedSequence, long Lag, string? Error);

/// <summary>
/// <c>GET /health</c>: 200 with the engine's figures while it runs and answers, 503 otherwise: <c>unavailable</c> (the
/// engine does not answer), <c>stale</c> (the live view every gateway reads stopped following the stream), <c>diverged</c>.
/// </summary>
internal static class HealthEndpoint
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async (EngineRunner runner, FeedService feed, TimeProvider clock, HostStartTime started, ICommittedStream stream,
            HistoryProjector history, HistoryOptions historyOptions, IClusterStatus cluster, CancellationToken cancellationToken) =>
        {
            var report = await ReportAsync(runner, feed, started.Value, clock.GetUtcNow(), cancellationToken, stream) with
            {
                // A lagging history store is reported, not fatal: trading goes on and the projector catches up.
                History = new HistoryHealth(historyOptions.Provider.ToString(), history.Running, history.Reader.AppliedSequence, history.Lag, history.LastError),
                Cluster = new ClusterHealth(cluster.Role, cluster.NodeId, cluster.LeaderId, cluster.Term, cluster.AppliedSequence, cluster.DivergenceAlarm, cluster.VerifiedCheckpoint,
                    (cluster as Dealwire.Cluster.Gateway.GatewayStatus)?.Following),
            };
            // Replicas that disagree on the state at one sequence: money may differ between them, so health is red.
            if (report.Cluster.DivergenceAlarm is not null) report = report with { Status = "diverged" };
            return Results.Json(report, statusCode: report.Status == "ok" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    public static async Task<HealthReport> ReportAsync(EngineRunner runner, FeedService feed, DateTimeOffset started, DateTimeOffset now,
        CancellationToken cancellationToken, ICommittedStream? stream = null)
    {
        var figures = await EngineProbe.ReadAsync(runner, cancellationToken);
        var counters = runner.Counters;
        var filter = feed.Filter.Counters;
        // Each committed-stream consumer's position and lag (sequences behind the journal's release).
        var consumers = stream?.GetConsumers();
        // A live view that stopped serves every gateway's reads from a state that no longer moves.
        var liveViewStopped = consumers?.Any(c => c.Name == LiveView.ConsumerName && c.State == "faulted") == true;
        return new HealthReport(
            Status: figures is null ? "unavailable" : liveViewStopped ? "stale" : "ok",
            Engine: runner.State.ToString(),
            Symbols: figures?.Symbols ?? 0,
            Accounts: figures?.Accounts ?? 0,
            TicksProcessed: EngineProbe.Read(ref counters.TicksProcessed),
            TicksDropped: runner.TicksDropped,
            Sequence: figures?.Sequence ?? 0,
            CommandsApplied: EngineProbe.Read(ref counters.CommandsApplied),
            CommandsRejected: EngineProbe.Read(ref counters.CommandsRejected),
            UptimeSeconds: (long)(now - started).TotalSeconds,
            Feed: new FeedHealth(feed.Kind.ToString(), feed.Feeds.Sum(f => f.TicksOffered), filter.Accepted, filter.Rejected, feed.Routing.Sources.All
                .Select(s => new FeedSourceHealth(s.Name, s.Priority, s.Connected, s.LastTickAt < 0 ? null : now.ToUnixTimeMilliseconds() - s.LastTickAt,
                    s.Accepted, s.Filtered, s.Standby))
                .ToList()),
            StreamConsumers: consumers);
    }
}
