using System.Globalization;
using System.Text;
using Dealwire.Cluster;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Stream;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Live;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// The system screen: what <c>/health</c> reports, read from the same services (engine runner, journal and snapshots,
/// committed stream, history projector, cluster status), not by calling the HTTP endpoint; pushed live.
/// Administrators or the <c>logs</c> right: it names directories and internal positions.
/// </summary>
internal static class SystemScreen
{
    public static IResult Show(HttpContext http, IServiceProvider services)
    {
        var session = ConsoleGuard.Current(http);
        if (!Allowed(session)) return Page.Forbidden(session, "the logs right (or an administrator) is required");
        var body = "<div id=\"system\" data-live=\"/console/live/system\">" + Fragment(services) + "</div>";
        return Page.Render(session, "System", "/console/system", body);
    }

    public static async Task Stream(HttpContext http, IServiceProvider services, LiveStream stream)
    {
        var session = ConsoleGuard.Current(http);
        if (!Allowed(session))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await stream.RunAsync(http, session, () => Fragment(services));
    }

    public static bool Allowed(ConsoleSession session) => session.Identity.IsAdmin || session.Can(Rights.Logs);

    private static string Fragment(IServiceProvider services)
    {
        var runner = services.GetRequiredService<EngineRunner>();
        var store = services.GetService<DurableStore>();
        var stream = services.GetService<ICommittedStream>();
        var projector = services.GetService<HistoryProjector>();
        var cluster = services.GetService<IClusterStatus>();
        var counters = runner.Counters;
        var healthy = runner.State == EngineState.Running && cluster?.DivergenceAlarm is null;

        var sb = new StringBuilder("<section class=\"card\"><h2>Health</h2><dl>");
        Row(sb, "Status", healthy ? "ok" : cluster?.DivergenceAlarm is not null ? "diverged" : "unavailable", "sys-status");
        Row(sb, "Engine", runner.State.ToString(), "sys-engine");
        Row(sb, "Command queue", N(runner.QueueDepth), "sys-queue");
        Row(sb, "Commands applied", N(Volatile.Read(ref counters.CommandsApplied)), "sys-applied");
        Row(sb, "Commands rejected", N(Volatile.Read(ref counters.CommandsRejected)), "sys-rejected");
        Row(sb, "Ticks processed", N(Volatile.Read(ref counters.TicksProcessed)), "sys-ticks");
        Row(sb, "Ticks dropped", N(runner.TicksDropped), "sys-ticks-dropped");
        sb.Append("</dl></section>");

        if (store is not null)
        {
            sb.Append("<section class=\"card\"><h2>Journal and snapshots</h2><dl>");
            Row(sb, "Durable sequence", N(store.Journal.DurableSequence), "sys-journal-sequence");
            Row(sb, "Active segment from", N(store.Journal.ActiveSegmentFirstSequence), "sys-journal-segment");
            Row(sb, "Commands awaiting fsync", N(store.Journal.QueuedCommands), "sys-journal-queued");
            Row(sb, "Journal directory", store.Journal.JournalDirectory, "sys-journal-dir");
            Row(sb, "Last snapshot at sequence", N(store.Snapshots.LastSnapshotSequence), "sys-snapshot-sequence");
            var retention = store.Snapshots.LastRetention;
            Row(sb, "Last retention", $"{N(retention.SnapshotsDeleted)} snapshots deleted, {N(retention.SegmentsRetired)} segments retired, {N(retention.BytesFreed)} bytes freed", "sys-retention");
            var report = store.Report;
            Row(sb, "Started from", $"{(report.Snapshot is { } snap ? "snapshot at sequence " + N(snap.Sequence) : "an empty engine")}, {N(report.CommandsReplayed)} commands replayed from {N(report.Segments)} segments, up to sequence {N(report.LastSequence)}", "sys-recovery");
            sb.Append("</dl></section>");
        }

        if (projector is not null)
        {
            sb.Append("<section class=\"card\"><h2>History projector</h2><dl>");
            Row(sb, "Running", projector.Running ? "yes" : "no", "sys-history-running");
            Row(sb, "Stored up to sequence", N(projector.Reader.AppliedSequence), "sys-history-sequence");
            Row(sb, "Lag (sequences)", N(projector.Lag), "sys-history-lag");
            Row(sb, "Last error", projector.LastError ?? "none", "sys-history-error");
            sb.Append("</dl></section>");
        }

        if (cluster is not null)
        {
            sb.Append("<section class=\"card\"><h2>Cluster</h2><dl>");
            Row(sb, "Role", cluster.Role, "sys-cluster-role");
            Row(sb, "Node", cluster.NodeId ?? "(single node)", "sys-cluster-node");
            Row(sb, "Leader", cluster.LeaderId ?? "(none known)", "sys-cluster-leader");
            Row(sb, "Applied sequence", N(cluster.AppliedSequence), "sys-cluster-applied");
            Row(sb, "Divergence alarm", cluster.DivergenceAlarm ?? "none", "sys-cluster-alarm");
            sb.Append("</dl></section>");
        }

        if (stream is not null)
        {
            sb.Append("<h2>Committed-stream consumers</h2><table id=\"consumers\"><thead><tr><th>Consumer</th><th class=\"num\">Sequence</th><th class=\"num\">Lag</th><th>State</th><th>Error</th></tr></thead><tbody>");
            foreach (var c in stream.GetConsumers())
            {
                sb.Append("<tr data-consumer=\"").Append(Page.E(c.Name)).Append("\"><td>").Append(Page.E(c.Name)).Append("</td><td class=\"num\">").Append(N(c.Sequence))
                    .Append("</td><td class=\"num\">").Append(N(c.Lag)).Append("</td><td>").Append(Page.E(c.State)).Append("</td><td>").Append(Page.E(c.Error)).Append("</td></tr>");
            }
            sb.Append("</tbody></table>");
        }
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string term, string value, string id) =>
        sb.Append("<dt>").Append(Page.E(term)).Append("</dt><dd id=\"").Append(id).Append("\">").Append(Page.E(value)).Append("</dd>");

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
