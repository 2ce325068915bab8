using Dealwire.Security;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ServerApi.Tests;

/// <summary>Sessions registered with the fan-out's registry but no connection: what they are sent stays in their queue.</summary>
internal static class SessionsWithoutSocket
{
    /// <summary>A session of <paramref name="identity"/> (valid for an hour), added to <paramref name="sessions"/>.</summary>
    public static Session Connect(SessionRegistry sessions, SessionIdentity identity)
    {
        var session = new Session(null, new ServerApiOptions(), NullLogger.Instance);
        session.Adopt(identity with { ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) }, TimeProvider.System);
        Assert.True(sessions.TryAdd(session, int.MaxValue));
        return session;
    }
}
