using Dealwire.Cluster;
using Dealwire.Cluster.Gateway;
using Dealwire.Cluster.Replication;
using Dealwire.Engine.Runtime;
using Dealwire.Engine.Runtime.Diagnostics;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Dealwire.ServerApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// The <c>Cluster</c> section and this node's <see cref="IClusterStatus"/>. Without <c>Cluster:Members</c> the
/// process is a single node, leader of itself, and nothing else changes: the engine keeps its plain journal.
/// With it, this process is a Raft replica (docs/replication.md): the engine journals through the replicated log
/// and sequences commands only while this node leads.
/// </summary>
internal static class ClusterRegistration
{
    public static ClusterOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        options.Validate();
        return options;
    }

    /// <summary>True when this node serves gateway nodes (<see cref="ClusterOptions.ServesGateways"/>).</summary>
    public static bool ServesGateways(IConfiguration configuration) => ReadOptions(configuration).ServesGateways;

    public static void AddCluster(IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        services.AddSingleton(options);
        if (!options.IsClustered)
        {
            services.AddSingleton<IClusterStatus>(sp =>
            {
                var view = sp.GetRequiredService<ILiveView>();
                return new SingleNodeStatus(options.NodeId, () => view.Sequence);
            });
            return;
        }
        if (options.Role == ClusterRole.Gateway)
        {
            services.AddSingleton(sp => new GatewayNode(options, sp.GetRequiredService<ILoggerFactory>()));
            services.AddSingleton<IClusterStatus>(sp => Observed(sp.GetRequiredService<GatewayNode>().Status, sp));
            return;
        }
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<DurableStore>();
            var serverApi = configuration.GetSection(ServerApiOptions.SectionName).Get<ServerApiOptions>() ?? new ServerApiOptions();
            return new ReplicaNode(options, sp.GetRequiredService<DataDirectory>().Path, new MeasuredJournal(store.Journal), store.Journal,
                $"{serverApi.Address}:{serverApi.Port}", sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IClusterStatus>(sp => Observed(sp.GetRequiredService<ReplicaNode>().Status, sp));
        services.AddHostedService(sp => new StateCheckpointService(sp.GetRequiredService<ReplicaNode>(), sp.GetRequiredService<EngineRunner>(),
            options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StateCheckpointService>>()));
        if (options.ServesGateways)
        {
            services.AddHostedService(sp => new GatewayLinkServer(sp.GetRequiredService<ReplicaNode>(), sp.GetRequiredService<EngineRunner>(),
                sp.GetRequiredService<ICommittedStream>(), options, sp.GetRequiredService<DataDirectory>().Path, sp.GetRequiredService<ILogger<GatewayLinkServer>>()));
        }
    }

    /// <summary>The engine's runner: on a replica its journal is the replicated log and its gate refuses commands off the leader.</summary>
    /// <summary>A node's status reads its applied sequence from the live view and its checkpoints from the engine.</summary>
    private static NodeStatus Observed(NodeStatus status, IServiceProvider services)
    {
        var view = services.GetRequiredService<ILiveView>();
        status.AppliedSequenceSource = () => view.Sequence;
        status.Checkpoints = services.GetRequiredService<EngineRunner>().Checkpoints;
        return status;
    }

    /// <summary>
    /// The engine's runner: on a replica its journal is the replicated log and its gate refuses commands off the leader;
    /// on a gateway it keeps a plain journal, never sequences, and forwards every command to the leader.
    /// </summary>
    public static EngineRunner CreateRunner(IServiceProvider services, DurableStore store, IConfiguration configuration)
    {
        if (services.GetService<GatewayNode>() is { } gateway)
        {
            var following = EngineBootstrap.CreateRunner(store, configuration);
            following.Gate = gateway;
            following.Forwarder = gateway;
            following.Outcomes = gateway.Outcomes;
            return following;
        }
        if (services.GetService<ReplicaNode>() is not { } node) return EngineBootstrap.CreateRunner(store, configuration);
        return new EngineRunner(store.Engine, node.Journal, SystemClock.Instance, EngineBootstrap.RunnerOptions(configuration)) { Gate = node.Gate };
    }

    /// <summary>
    /// Joins the cluster once the engine runs (committed entries then flow into it), and loads the embedded default
    /// only where it can be sequenced: on the leader, once elected. Single node: the first start as before.
    /// </summary>
    public static async Task StartAsync(IServiceProvider services, EngineRunner runner, TextWriter stdout, CancellationToken cancellationToken)
    {
        var firstStart = services.GetRequiredService<FirstStart>();
        if (services.GetService<GatewayNode>() is { } gateway)
        {
            // A gateway never loads the default: it receives whatever the leader loaded, through the log.
            var stopping = services.GetRequiredService<IHostApplicationLifetime>();
            gateway.Faulted += _ => stopping.StopApplication();
            gateway.Start(runner);
            await firstStart.RunAsync(stdout, cancellationToken, loadDefaults: false);
            return;
        }
        if (services.GetService<ReplicaNode>() is not { } node)
        {
            await firstStart.RunAsync(stdout, cancellationToken);
            return;
        }
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Dealwire.Cluster");
        node.Faulted += _ => lifetime.StopApplication();
        await node.StartAsync(runner, cancellationToken);
        await firstStart.RunAsync(stdout, cancellationToken, loadDefaults: false);
        _ = Task.Run(() => CompleteDefaultsAtEveryLeadershipAsync(node, firstStart, logger, lifetime.ApplicationStopping), CancellationToken.None);
    }

    /// <summary>
    /// A fresh cluster gets the embedded default from whichever replica leads while the log lacks it: checked at every
    /// leadership this node opens, not only by the first replica elected. The default is fifteen commands, each its own
    /// Raft round trip; a first leader deposed before it opened its term, or half-way through them, left the cluster
    /// without symbols (no tick is ever accepted, nothing is ever priced) and nobody finished it.
    /// </summary>
    private static async Task CompleteDefaultsAtEveryLeadershipAsync(ReplicaNode node, FirstStart firstStart, ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (!node.IsLeader) await Task.Delay(50, stopping);
                var term = node.AcceptingTerm;
                await firstStart.CompleteDefaultsAsync(stopping);
                while (node.IsLeader && node.AcceptingTerm == term) await Task.Delay(250, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Leadership lost with a default command in flight (this replica then stops itself), or a bug: the next
                // leader looks again.
                logger.LogError(ex, "Loading the embedded default on the leader failed; the next leadership tries again");
                await Task.Delay(250, CancellationToken.None);
            }
        }
    }

    /// <summary>Whether this replica stopped itself after a failed proposal (fail-stop): the process then exits non-zero.</summary>
    public static bool FailStopped(IServiceProvider services) =>
        services.GetService<ReplicaNode>() is { HasFaulted: true } || services.GetService<GatewayNode>() is { HasFaulted: true };

    /// <summary>Leaves the cluster after the engine stopped, before the local journal closes.</summary>
    public static async Task StopAsync(IServiceProvider services)
    {
        if (services.GetService<ReplicaNode>() is { } node) await node.DisposeAsync();
        if (services.GetService<GatewayNode>() is { } gateway) await gateway.DisposeAsync();
    }
}
