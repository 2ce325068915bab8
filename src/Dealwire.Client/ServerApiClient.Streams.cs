using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

public sealed partial class ServerApiClient
{
    private readonly NotificationDeduplicator _deduplicator;

    /// <summary>Quote ticks of subscribed symbols. Slow stream readers keep the newest ticks.</summary>
    public PushStream<Quote> Quotes { get; }

    /// <summary>Notifications (sent to every connection, no subscription needed), de-duplicated by token.</summary>
    public PushStream<Notification> Notifications { get; }

    /// <summary><c>trade:event</c>: positions, orders, closes and finance records.</summary>
    public PushStream<TradeEvent> TradeEvents { get; }

    /// <summary><c>balance:event</c>: an account's balance, equity and margin changed.</summary>
    public PushStream<BalanceEvent> BalanceEvents { get; }

    /// <summary><c>user:event</c>: an account was created, changed or deleted.</summary>
    public PushStream<UserEvent> UserEvents { get; }

    /// <summary><c>symbol:event</c>: a symbol's configuration changed.</summary>
    public PushStream<SymbolEvent> SymbolEvents { get; }

    /// <summary><c>group:event</c>: a group's configuration changed.</summary>
    public PushStream<GroupEvent> GroupEvents { get; }

    /// <summary>The <c>"sr"</c> record: the symbol index/sort map changed.</summary>
    public event EventHandler<IReadOnlyList<SymbolIndexEntry>>? SymbolsReindexed;

    /// <summary>The <c>"sc"</c> record: the symbol-group sort map changed.</summary>
    public event EventHandler<IReadOnlyList<SymbolGroupIndexEntry>>? SymbolGroupsReindexed;

    private PushStream<T> NewStream<T>(string name, bool lossless) => new(name, lossless, _options.StreamCapacity,
        e => RaiseError(ClientErrorKind.HandlerFailed, $"A {name} handler threw: {e.Message}", e));

    private void CompleteStreams(Exception? error)
    {
        Quotes.Complete(error);
        Notifications.Complete(error);
        TradeEvents.Complete(error);
        BalanceEvents.Complete(error);
        UserEvents.Complete(error);
        SymbolEvents.Complete(error);
        GroupEvents.Complete(error);
    }

    private void DispatchEvent(JsonElement message)
    {
        var name = InboundParser.Text(message.GetProperty("event"));
        var type = (RecordChange)(message.TryGetProperty("type", out var t) ? InboundParser.Int(t) : 0);
        if (!message.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            RaiseError(ClientErrorKind.MalformedMessage, $"Event without a data object: {Shorten(message.GetRawText())}");
            return;
        }
        var json = ClientJsonContext.Default;
        switch (name)
        {
            case "trade:event":
                TradeEvents.Publish(new TradeEvent(type, data.Deserialize(json.TradeRecord)!, data));
                break;
            case "balance:event":
                BalanceEvents.Publish(new BalanceEvent(type, data.Deserialize(json.AccountMargin)!, data));
                break;
            case "user:event":
                UserEvents.Publish(new UserEvent(type, data.Deserialize(json.AccountInfo)!, data));
                break;
            case "symbol:event":
                SymbolEvents.Publish(new SymbolEvent(type, data.Deserialize(json.SymbolInfo)!, data));
                break;
            case "group:event":
                GroupEvents.Publish(new GroupEvent(type, data.Deserialize(json.GroupInfo)!, data));
                break;
            default:
                RaiseError(ClientErrorKind.UnknownMessage, $"Unknown event '{name}': {Shorten(message.GetRawText())}");
                break;
        }
    }
}
