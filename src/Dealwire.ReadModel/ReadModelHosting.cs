using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel;

/// <summary>
/// How a host plugs the read side in: the committed stream (fed by the journal's release, attached to the runner
/// before it starts) and the live view following it, as DI singletons <see cref="ICommittedStream"/> and
/// <see cref="ILiveView"/>. An <see cref="IStreamBackfill"/>, when registered, serves consumers that start behind the
/// stream's in-memory window.
/// </summary>
public static class ReadModelHosting
{
    public const string StreamSection = "Stream";

    /// <param name="startSequence">The engine's sequence after recovery (the stream's live edge at start).</param>
    /// <param name="defaultRetainSequences"><c>Stream:RetainSequences</c> when the configuration does not set it.</param>
    public static IServiceCollection AddReadModel(this IServiceCollection services, Func<IServiceProvider, long> startSequence, IConfiguration? configuration = null,
        long defaultRetainSequences = 0)
    {
        var options = configuration?.GetSection(StreamSection).Get<CommittedStreamOptions>() ?? new CommittedStreamOptions();
        options.RetainSequences ??= defaultRetainSequences;
        services.AddSingleton(sp => new CommittedStream(
            startSequence(sp),
            options,
            sp.GetService<IStreamBackfill>(),
            sp.GetService<ILogger<CommittedStream>>() ?? NullLogger<CommittedStream>.Instance));
        services.AddSingleton<ICommittedStream>(sp => sp.GetRequiredService<CommittedStream>());
        services.AddSingleton(sp => new LiveView(sp.GetService<ILogger<LiveView>>()));
        services.AddSingleton<ILiveView>(sp => sp.GetRequiredService<LiveView>());
        return services;
    }

    /// <summary>Attaches the stream to the runner and every registered <see cref="ILiveObserver"/> to the view; call before the runner starts.</summary>
    public static void AttachReadModel(this IServiceProvider services, EngineRunner runner)
    {
        runner.AddCommittedSink(services.GetRequiredService<CommittedStream>());
        var view = services.GetRequiredService<LiveView>();
        foreach (var observer in services.GetServices<ILiveObserver>()) view.AddObserver(observer);
    }

    /// <summary>Seeds the live view from the running engine; gateways read it, so this runs before they listen.</summary>
    public static Task StartLiveViewAsync(this IServiceProvider services, EngineRunner runner, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<LiveView>().StartAsync(runner, services.GetRequiredService<ICommittedStream>(), cancellationToken);
}
