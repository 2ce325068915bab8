using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// The read side: the committed stream (fed by the journal's release, attached to the runner before it starts)
/// and the projections that follow it. An <see cref="IStreamBackfill"/>, when registered, serves consumers that
/// start behind the stream's in-memory window.
/// </summary>
internal static class ReadModelRegistration
{
    public const string StreamSection = "Stream";

    /// <summary>
    /// Attaches the stream to the runner and the gateways' observers to the view; call before the runner starts.
    /// </summary>
    public static void Attach(IServiceProvider services, EngineRunner runner)
    {
        runner.AddCommittedSink(services.GetRequiredService<CommittedStream>());
        var view = services.GetRequiredService<LiveView>();
        foreach (var observer in services.GetServices<ILiveObserver>()) view.AddObserver(observer);
    }

    /// <summary>Seeds the live view from the running engine; gateways read it, so this runs before they listen.</summary>
    public static Task StartLiveViewAsync(IServiceProvider services, EngineRunner runner, CancellationToken cancellationToken) =>
        services.GetRequiredService<LiveView>().StartAsync(runner, services.GetRequiredService<ICommittedStream>(), cancellationToken);

    public static void AddReadModel(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new CommittedStream(
            // Recovery has run by now: the stream starts at the engine's recovered sequence.
            sp.GetRequiredService<DurableStore>().Engine.LastSequence,
            configuration.GetSection(StreamSection).Get<CommittedStreamOptions>() ?? new CommittedStreamOptions(),
            sp.GetService<IStreamBackfill>(),
            sp.GetRequiredService<ILogger<CommittedStream>>()));
        services.AddSingleton<ICommittedStream>(sp => sp.GetRequiredService<CommittedStream>());
        services.AddSingleton<LiveView>();
        services.AddSingleton<ILiveView>(sp => sp.GetRequiredService<LiveView>());
    }
}
