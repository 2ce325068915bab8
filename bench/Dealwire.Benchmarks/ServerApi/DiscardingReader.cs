using Dealwire.ServerApi.Sessions;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>A session's outbound writer into a pipe whose reader discards: frames cost what they cost on a socket, minus the send.</summary>
internal static class DiscardingReader
{
    public static void Attach(Session session)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        _ = session.Outbound.RunWriterAsync(pipe.Writer, CancellationToken.None);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var read = await pipe.Reader.ReadAsync();
                pipe.Reader.AdvanceTo(read.Buffer.End);
            }
        });
    }
}
