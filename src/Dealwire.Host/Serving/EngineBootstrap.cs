using Dealwire.Engine.Core;
using Dealwire.Engine.Runtime;
using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Serving;

/// <summary>Creates the engine and its runner for <c>serve</c>.</summary>
internal static class EngineBootstrap
{
    public const string Section = "Engine";

    public static EngineRunner CreateRunner(IConfiguration configuration, DataDirectory dataDirectory)
    {
        var options = configuration.GetSection(Section).Get<EngineRunnerOptions>() ?? new EngineRunnerOptions();
        if (options.QueueCapacity < 1 || options.MaxBatchSize < 1)
        {
            throw new InvalidOperationException("Engine:QueueCapacity and Engine:MaxBatchSize must be positive.");
        }
        // Durability plugs in here: recover the engine from the snapshot and journal in dataDirectory,
        // and hand the journal to the runner. Until then the state lives in memory only.
        _ = dataDirectory;
        return new EngineRunner(new TradingEngine(), NoJournal.Instance, SystemClock.Instance, options);
    }
}
