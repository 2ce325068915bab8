using Dealwire.ReadModel.History;

namespace Dealwire.Benchmarks;

/// <summary>
/// A real (SQLite) history store in a scratch directory for benchmarks that build a gateway context: the gateways need a
/// history reader, though the commands measured here never read history.
/// </summary>
internal static class BenchHistory
{
    public static IHistoryReader Reader() =>
        HistoryStores.Create(new HistoryOptions(), Directory.CreateTempSubdirectory("dealwire-bench-history-").FullName);
}
