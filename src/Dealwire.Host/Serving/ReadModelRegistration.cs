using Dealwire.Persistence.Recovery;
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

    public static void AddReadModel(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new CommittedStream(
            // Recovery has run by now: the stream starts at the engine's recovered sequence.
            sp.GetRequiredService<DurableStore>().Engine.LastSequence,
            configuration.GetSection(StreamSection).Get<CommittedStreamOptions>() ?? new CommittedStreamOptions(),
            sp.GetService<IStreamBackfill>(),
            sp.GetRequiredService<ILogger<CommittedStream>>()));
        services.AddSingleton<ICommittedStream>(sp => sp.GetRequiredService<CommittedStream>());
    }
}
