using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.History;

/// <summary>
/// A store, its projector on a stream and the read-your-writes reader, started together: what an embedding host
/// (a test gateway host, a tool) needs to serve history reads without the full <c>dealwire serve</c> wiring.
/// </summary>
public sealed class HistoryPipeline : IAsyncDisposable
{
    private HistoryPipeline(IHistoryStore store, HistoryProjector projector, IHistoryReader reader)
    {
        Store = store;
        Projector = projector;
        Reader = reader;
    }

    public IHistoryStore Store { get; }

    public HistoryProjector Projector { get; }

    /// <summary>The reader gateways get: waits for the published sequence before each read.</summary>
    public IHistoryReader Reader { get; }

    public static HistoryPipeline Start(IHistoryStore store, ICommittedStream stream, HistoryOptions? options = null)
    {
        var projector = new HistoryProjector(store, stream, options ?? new HistoryOptions(), NullLogger<HistoryProjector>.Instance);
        projector.Start();
        return new HistoryPipeline(store, projector, new ReadYourWritesHistory(store, stream, projector));
    }

    public async ValueTask DisposeAsync()
    {
        await Projector.DisposeAsync();
        await Store.DisposeAsync();
    }
}
