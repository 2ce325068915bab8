using Dealwire.ServerApi.Dispatch;

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

    private static ValueTask<Reply> Subscribe(CommandContext c)
    {
        var channels = c.Data.RequireStringArray("chanels");
        c.Server.Sessions.Subscribe(c.Session, channels);
        return ValueTask.FromResult(Reply.Ok());
    }

    private static ValueTask<Reply> Unsubscribe(CommandContext c)
    {
        var channels = c.Data.RequireStringArray("chanels");
        c.Server.Sessions.Unsubscribe(c.Session, channels);
        return ValueTask.FromResult(Reply.Ok());
    }

    private static ValueTask<Reply> SubscribeAll(CommandContext c)
    {
        c.Server.Sessions.SubscribeAll(c.Session);
        return ValueTask.FromResult(Reply.Ok());
    }

    private static ValueTask<Reply> UnsubscribeAll(CommandContext c)
    {
        c.Server.Sessions.UnsubscribeAll(c.Session);
        return ValueTask.FromResult(Reply.Ok());
    }
}
