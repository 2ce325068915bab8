using Dealwire.Security;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.ServerApi;

/// <summary>A session's outbound writer into a pipe whose reader discards: frames cost what they cost on a socket, minus the send.</summary>
internal static class DiscardingReader
{
    /// <summary>A registered session with <paramref name="identity"/> (valid for a day) whose frames are discarded.</summary>
    public static Session Connect(SessionRegistry sessions, SessionIdentity identity)
    {
        var session = new Session(null, new Dealwire.ServerApi.ServerApiOptions(), NullLogger.Instance);
        session.Adopt(identity with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) }, TimeProvider.System);
        sessions.TryAdd(session, int.MaxValue);
        Attach(session);
        return session;
    }

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
