using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.Host.Serving;

/// <summary>The read side in the host: stream and live view (see <see cref="ReadModelHosting"/>), starting at the recovered sequence.</summary>
internal static class ReadModelRegistration
{
    public static void AddReadModel(IServiceCollection services, IConfiguration configuration) =>
        // Recovery has run when the stream is built: it starts at the engine's recovered sequence. Only a replica that
        // serves gateway nodes keeps a read tail by default (Stream:RetainSequences).
        services.AddReadModel(sp => sp.GetRequiredService<DurableStore>().Engine.LastSequence, configuration,
            ClusterRegistration.ServesGateways(configuration) ? CommittedStreamOptions.GatewayTail : 0);

    public static void Attach(IServiceProvider services, EngineRunner runner) => services.AttachReadModel(runner);

    public static Task StartLiveViewAsync(IServiceProvider services, EngineRunner runner, CancellationToken cancellationToken) =>
        services.StartLiveViewAsync(runner, cancellationToken);
}
