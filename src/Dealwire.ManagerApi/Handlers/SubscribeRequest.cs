using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Fanout;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// <c>subscribe</c>: the confirmation, then one snapshot per kind of the requested topics (read from
/// the engine in one query), then live events newer than that snapshot.
/// </summary>
internal static class SubscribeRequest
{
    public static void Register(Dictionary<string, HandlerEntry> map) =>
        map["subscribe"] = new HandlerEntry(Replies.Subscribe, false, Subscribe);

    private static async Task Subscribe(ManagerSession session, Request request)
    {
        if (request.Field("topics") is not { ValueKind: JsonValueKind.Array } list) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        var topics = new List<Topic>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
            var topic = Topics.FromWire(item.GetString()) ?? throw new RequestRejectedException(ManagerErrors.UnknownTopic);
            if (!topics.Contains(topic)) topics.Add(topic);
        }

        var d = request.Dialect;
        var mask = session.Mask;
        session.BeginSubscription(topics);
        // One applied state of the live view, with its sequence: events after it follow with nothing lost or repeated.
        var (_, snapshot) = await session.ReadConsistentAsync(r =>
        {
            var views = new ViewReader(r, mask);
            return new Snapshot(
                r.Sequence,
                topics.Contains(Topic.Accounts) ? views.Accounts().OrderBy(a => a.Login).ToList() : null,
                topics.Contains(Topic.Orders)
                    ? r.GetPendingOrders().Where(t => views.Sees(t.Login)).OrderBy(t => t.Ticket).Select(t => views.Order(t, OrderStatus.Pending)).ToList()
                    : null,
                topics.Contains(Topic.Positions)
                    ? r.GetPositions().Where(t => views.Sees(t.Login)).OrderBy(t => t.Ticket).Select(views.Position).ToList()
                    : null,
                topics.Contains(Topic.TradingSettings) ? TradingSettings.Read(r).VisibleTo(mask) : null);
        });

        var hub = session.Context.Hub;
        session.CompleteSubscription(topics, snapshot.Sequence, Frames(d, request.MessageId, topics, snapshot, hub));
    }

    private sealed record Snapshot(
        long Sequence,
        List<AccountView>? Accounts,
        List<OrderView>? Orders,
        List<PositionView>? Positions,
        TradingSettings? Settings);

    private static IEnumerable<byte[]> Frames(WireDialect d, string? requestId, List<Topic> topics, Snapshot s, ManagerHub hub)
    {
        yield return Replies.Single(d, requestId, Replies.Subscribe, true, static (w, d, _) =>
        {
            if (d.IsSeed)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                w.WriteBooleanValue(true);
            }
        });
        foreach (var topic in topics)
        {
            switch (topic)
            {
                case Topic.Prices:
                    yield return Snapshots.Of(d, "last_prices", hub.LastPrices(), TradingModels.WritePrice);
                    break;
                case Topic.Accounts:
                    yield return Snapshots.Of(d, "accounts", s.Accounts!, TradingModels.WriteAccount);
                    break;
                case Topic.Orders:
                    yield return Snapshots.Of(d, "orders", s.Orders!, TradingModels.WriteOrder);
                    break;
                case Topic.Positions:
                    yield return Snapshots.Of(d, "positions", s.Positions!, TradingModels.WritePosition);
                    break;
                case Topic.TradingSettings:
                    foreach (var frame in SettingsFrames.All(d, s.Settings!, "snapshot")) yield return frame;
                    break;
            }
        }
    }
}

/// <summary>Snapshot frames: seed <c>success.&lt;key&gt;.snapshot.data[]</c>, newer <c>&lt;key&gt;.snapshot[]</c>.</summary>
internal static class Snapshots
{
    public static byte[] Of<T>(WireDialect d, string key, IReadOnlyList<T> items, ModelWriter<T> write) =>
        d.IsSeed ? Replies.SeedEvent(key, "snapshot", items, write) : Replies.NewerSnapshot(d, key, items, write);
}

/// <summary>The trading-settings kinds and their frames.</summary>
internal static class SettingsFrames
{
    [Flags]
    public enum Kinds
    {
        None = 0,
        Groups = 1,
        Instruments = 2,
        Profiles = 4,
        Markups = 8,
        DayOffs = 16,
        Collaterals = 32,
        All = 63,
    }

    /// <summary>Frames of the given kinds; <paramref name="eventType"/> "snapshot" or an update.</summary>
    public static IEnumerable<byte[]> All(WireDialect d, TradingSettings s, string eventType, Kinds kinds = Kinds.All)
    {
        if (kinds.HasFlag(Kinds.Groups)) yield return Frame(d, "trading_groups", eventType, s.Groups, SettingsModels.WriteGroup);
        if (kinds.HasFlag(Kinds.Instruments)) yield return Frame(d, "trading_instruments", eventType, s.Symbols, SettingsModels.Instrument(s.SymbolGroupNames));
        if (kinds.HasFlag(Kinds.Profiles)) yield return Frame(d, "trading_profiles", eventType, s.Profiles, SettingsModels.WriteProfile);
        if (kinds.HasFlag(Kinds.Markups)) yield return Frame(d, "trading_markups", eventType, s.Profiles, SettingsModels.WriteMarkup);
        if (kinds.HasFlag(Kinds.DayOffs)) yield return Frame(d, "day_off_profiles", eventType, s.DayOffSymbols, SettingsModels.WriteDayOff);
        // Collaterals exist in the newer layout only (the seed has no such payload).
        if (kinds.HasFlag(Kinds.Collaterals) && !d.IsSeed) yield return Frame(d, "collateral", eventType, s.Collaterals, SettingsModels.WriteCollateral);
    }

    private static byte[] Frame<T>(WireDialect d, string key, string eventType, IReadOnlyList<T> items, ModelWriter<T> write)
    {
        if (eventType == "snapshot") return Snapshots.Of(d, key, items, write);
        return d.IsSeed
            ? Replies.SeedEvent(key, "updated", items, write)
            : Replies.NewerUpdate(d, key, null, items, (w, dialect, list) => Replies.WriteArray(w, dialect, list, write));
    }
}
