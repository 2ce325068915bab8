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

    public static DurabilityOptions DurabilityOptions(IConfiguration configuration) =>
        configuration.GetSection(DurabilitySection).Get<DurabilityOptions>() ?? new DurabilityOptions();

    /// <summary>Opens the durable store; throws <see cref="DataCorruptionException"/> on damage (the server must not start).</summary>
    public static DurableStore OpenStore(IConfiguration configuration, DataDirectory dataDirectory, ILoggerFactory loggers)
    {
        // DurableStore logs what recovery found (snapshot, replayed commands, torn tail, state hash).
        return DurableStore.Open(dataDirectory.Path, DurabilityOptions(configuration), loggers.CreateLogger("Dealwire.Recovery"));
    }

    public static EngineRunner CreateRunner(DurableStore store, IConfiguration configuration) =>
        new(store.Engine, new MeasuredJournal(store.Journal), SystemClock.Instance, RunnerOptions(configuration));
}
