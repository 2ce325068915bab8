using Dealwire.Engine.Runtime;
using Dealwire.Engine.Runtime.Diagnostics;
using Dealwire.Persistence;
using Dealwire.Persistence.Recovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// Recovers the engine from the data directory (newest valid snapshot + journal tail) and builds its
/// runner with the journal attached, so every acknowledged command is durable before its reply leaves.
/// </summary>
internal static class EngineBootstrap
{
    public const string Section = "Engine";
    public const string DurabilitySection = "Durability";

    public static EngineRunnerOptions RunnerOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<EngineRunnerOptions>() ?? new EngineRunnerOptions();
        if (options.QueueCapacity < 1 || options.MaxBatchSize < 1)
        {
            throw new InvalidOperationException("Engine:QueueCapacity and Engine:MaxBatchSize must be positive.");
        }
        return options;
    }

    /// <summary>
    /// The <c>Durability</c> section. A gateway node's journal is a local copy of what a majority of replicas already holds
    /// (a lost tail is fetched again from them after a restart), so unless <c>Durability:Mode</c> is set it writes to the
    /// page cache without an fsync per batch (<see cref="DurabilityMode.Os"/>): its replies then wait for the replicas'
    /// fsyncs and not for one more of its own.
    /// </summary>
    public static DurabilityOptions DurabilityOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(DurabilitySection).Get<DurabilityOptions>() ?? new DurabilityOptions();
        var role = configuration.GetSection(Cluster.ClusterOptions.Section).Get<Cluster.ClusterOptions>()?.Role;
        if (role == Cluster.ClusterRole.Gateway && configuration[$"{DurabilitySection}:Mode"] is null) options.Mode = DurabilityMode.Os;
        return options;
    }

    /// <summary>Opens the durable store; throws <see cref="DataCorruptionException"/> on damage (the server must not start).</summary>
    public static DurableStore OpenStore(IConfiguration configuration, DataDirectory dataDirectory, ILoggerFactory loggers)
    {
        // DurableStore logs what recovery found (snapshot, replayed commands, torn tail, state hash).
        return DurableStore.Open(dataDirectory.Path, DurabilityOptions(configuration), loggers.CreateLogger("Dealwire.Recovery"));
    }

    public static EngineRunner CreateRunner(DurableStore store, IConfiguration configuration) =>
        new(store.Engine, new MeasuredJournal(store.Journal), SystemClock.Instance, RunnerOptions(configuration));
}
