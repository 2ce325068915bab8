using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>A client message's handler, the reply it produces, and whether the seed layout has it.</summary>
public sealed record HandlerEntry(ReplyKind Kind, bool NewerOnly, Func<ManagerSession, Request, Task> Handle);

/// <summary>The client messages the Manager API understands, by their <c>client_message</c> key.</summary>
public static class RequestHandlers
{
    private static readonly Dictionary<string, HandlerEntry> Entries = Build();

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    public static bool TryFind(string name, WireDialect dialect, out HandlerEntry entry)
    {
        if (Entries.TryGetValue(name, out entry!) && (!entry.NewerOnly || !dialect.IsSeed)) return true;
        entry = null!;
        return false;
    }

    private static Dictionary<string, HandlerEntry> Build()
    {
        var map = new Dictionary<string, HandlerEntry>(StringComparer.Ordinal);
        SessionRequests.Register(map);
        AccountQueries.Register(map);
        PositionQueries.Register(map);
        OrderQueries.Register(map);
        PriceQueries.Register(map);
        BalanceRequests.Register(map);
        OrderCommands.Register(map);
        PositionCommands.Register(map);
        SubscribeRequest.Register(map);
        return map;
    }
}
