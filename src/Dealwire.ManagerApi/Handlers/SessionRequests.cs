using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary><c>get_server_time</c>: the server clock as an RFC 3339 string (the one string time of the API).</summary>
internal static class SessionRequests
{
    public static void Register(Dictionary<string, HandlerEntry> map) =>
        map["get_server_time"] = new HandlerEntry(Replies.ServerTime, false, ServerTime);

    private static Task ServerTime(ManagerSession session, Request request)
    {
        var now = session.Context.Time.GetUtcNow().ToUnixTimeMilliseconds();
        session.Send(Replies.Single(request.Dialect, request.MessageId, Replies.ServerTime, TradingModels.Rfc3339(now), static (w, _, text) =>
        {
            w.WriteStartObject();
            w.WriteString("server_time", text);
            w.WriteEndObject();
        }));
        return Task.CompletedTask;
    }
}
