using Dealwire.Engine.Model;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Commands;

/// <summary>Subscribe / Unsubscribe (key <c>chanels</c>, misspelled on purpose), SubscribeAll / UnsubscribeAll.</summary>
internal static class QuoteCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("Subscribe", Subscribe);
        table.Add("Unsubscribe", Unsubscribe);
        table.Add("SubscribeAll", SubscribeAll);
        table.Add("UnsubscribeAll", UnsubscribeAll);
    }

    /// <summary>
    /// Channels are symbol names, matched exactly (case-sensitive). Only known symbols are subscribed:
    /// all known → 200 <c>"OK"</c> (what the vendor clients expect); none → 404 RET_SYMBOL_NOT_FOUND naming
    /// them; some → 207 with <c>{"subscribed":[…],"refused":[{"channel","error","message"}]}</c>.
    /// A channel that silently never delivers is worse than an error the client can see.
    /// </summary>
    private static ValueTask<Reply> Subscribe(CommandContext c)
    {
        var channels = c.Data.RequireStringArray("chanels");
        var known = c.Server.View.GetSymbols().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var accepted = channels.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
        var refused = channels.Where(ch => !known.Contains(ch)).Distinct(StringComparer.Ordinal)
            .Select(ch => (Channel: ch, Message: UnknownChannelMessage(ch, known))).ToList();
        if (refused.Count > 0 && accepted.Count == 0)
        {
            throw ProtocolException.Rejected(ReturnCode.SymbolNotFound, string.Join("; ", refused.Select(r => r.Message)));
        }
        var (sessions, session) = (c.Server.Sessions, c.Session);
        c.AfterReply = () => sessions.Subscribe(session, accepted);
        if (refused.Count == 0) return ValueTask.FromResult(Reply.Ok());
        return ValueTask.FromResult(Reply.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("subscribed");
            foreach (var channel in accepted) w.WriteStringValue(channel);
            w.WriteEndArray();
            w.WriteStartArray("refused");
            foreach (var (channel, message) in refused)
            {
                w.WriteStartObject();
                w.WriteString("channel", channel);
                w.WriteString("error", ReturnCode.SymbolNotFound.WireName());
                w.WriteString("message", message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, status: 207));
    }

    private static string UnknownChannelMessage(string channel, HashSet<string> known)
    {
        var differentCase = known.FirstOrDefault(k => string.Equals(k, channel, StringComparison.OrdinalIgnoreCase));
        return differentCase is null
            ? $"unknown symbol {channel}"
            : $"unknown symbol {channel} (symbol names are case-sensitive: {differentCase})";
    }

    private static ValueTask<Reply> Unsubscribe(CommandContext c)
    {
        var channels = c.Data.RequireStringArray("chanels");
        c.Server.Sessions.Unsubscribe(c.Session, channels);
        return ValueTask.FromResult(Reply.Ok());
    }

    private static ValueTask<Reply> SubscribeAll(CommandContext c)
    {
        var (sessions, session) = (c.Server.Sessions, c.Session);
        c.AfterReply = () => sessions.SubscribeAll(session);
        return ValueTask.FromResult(Reply.Ok());
    }

    private static ValueTask<Reply> UnsubscribeAll(CommandContext c)
    {
        c.Server.Sessions.UnsubscribeAll(c.Session);
        return ValueTask.FromResult(Reply.Ok());
    }
}
