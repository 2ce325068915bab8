using System.Text.Json;
using Dealwire.Engine.Model;

namespace Dealwire.ManagerApi.Wire;

/// <summary>An account as the Manager API shows it: profile, money and the group's hedge mode.</summary>
public sealed record AccountView(
    long Login,
    string Group,
    string Currency,
    decimal Balance,
    decimal Equity,
    decimal Margin,
    decimal FreeMargin,
    decimal MarginLevel,
    int Leverage,
    long UpdateTime,
    bool Enabled,
    bool Netting,
    IReadOnlyDictionary<string, string> Metadata)
{
    public static AccountView From(AccountSnapshot account, GroupConfig? group) => From(account.Profile, account.Margin, group);

    public static AccountView From(AccountProfile profile, MarginSnapshot margin, GroupConfig? group) => new(
        profile.Login,
        profile.Group,
        margin.Currency,
        margin.Balance,
        margin.Equity,
        margin.Margin,
        margin.FreeMargin,
        margin.MarginLevel,
        margin.Leverage > 0 ? margin.Leverage : profile.Leverage > 0 ? profile.Leverage : group?.DefaultLeverage ?? 0,
        // A balance change is an update of the account, as the streamed balance events already show it.
        Math.Max(profile.UpdateTime > 0 ? profile.UpdateTime : profile.RegistrationTime, margin.BalanceTime),
        profile.Enabled,
        group?.Accounting == PositionAccounting.Netting,
        Wire.Metadata.Parse(profile.ApiData));

    /// <summary>The same account with fresher money figures.</summary>
    public AccountView WithMargin(MarginSnapshot margin, long time) => this with
    {
        Balance = margin.Balance,
        Equity = margin.Equity,
        Margin = margin.Margin,
        FreeMargin = margin.FreeMargin,
        MarginLevel = margin.MarginLevel,
        Currency = margin.Currency,
        UpdateTime = Math.Max(UpdateTime, time),
    };
}

/// <summary>An open or closed position with the quotes needed to render it.</summary>
public sealed record PositionView(TradeRecord Trade, string Collateral, int Leverage, Quote Active, string Base, string QuoteCurrency)
{
    public bool IsClosed => !Trade.IsOpenPosition;

    public IReadOnlyDictionary<string, string> Metadata => Wire.Metadata.Of(Trade);
}

/// <summary>Status of an order in the Manager API's vocabulary.</summary>
public enum OrderStatus { Pending, Canceled, Executed, Rejected }

/// <summary>An order: a pending order, or the market order that opened or closed a position.</summary>
public sealed record OrderView(TradeRecord Trade, string Collateral, OrderStatus Status, bool IsClose = false)
{
    public IReadOnlyDictionary<string, string> Metadata => Wire.Metadata.Of(Trade);

    /// <summary>
    /// The order's number: a closing order has its own ticket (the engine draws it when the position closes);
    /// any other order shares the ticket of the pending order or position it is.
    /// </summary>
    public long Ticket => IsClose && Trade.CloseOrderTicket > 0 ? Trade.CloseOrderTicket : Trade.Ticket;

    /// <summary>
    /// The position an executed order opened or closed; 0 when the record does not name it (a netting
    /// pending order filled into the account's existing position is retired, not turned into it).
    /// </summary>
    public long PositionTicket => Status != OrderStatus.Executed ? 0
        : IsClose ? (Trade.ParentTicket != 0 ? Trade.ParentTicket : Trade.Ticket)
        : Trade.Command.IsMarket() ? Trade.Ticket : 0;

    /// <summary>The pending order as placed, for an order that opened its position by activation (never for a closing order).</summary>
    public PendingOrigin? Origin => IsClose ? null : Trade.ActivatedFrom;

    /// <summary>How a pending order left the book, read from its history record.</summary>
    public static OrderStatus ExitOf(TradeRecord retired) => retired switch
    {
        // Netting: an activated order is filled into the existing position and retired as closed.
        { State: TradeState.ClosedNormal } => OrderStatus.Executed,
        // Activation refused (margin, no conversion rate): deleted with the activation reason.
        { State: TradeState.Deleted, Activation: Activation.Pending } => OrderStatus.Rejected,
        _ => OrderStatus.Canceled,
    };
}

/// <summary>One execution: the opening fill of a position or its closing fill.</summary>
public sealed record TradeView(TradeRecord Trade, bool Closing, string Collateral)
{
    /// <summary>Two fills per ticket: 2·ticket opens, 2·ticket+1 closes (stable, reversible).</summary>
    public long Number => Trade.Ticket * 2 + (Closing ? 1 : 0);

    /// <summary>The order the fill executed: the opening order (the position's ticket) or the position's closing order.</summary>
    public long OrderTicket => Closing && Trade.CloseOrderTicket > 0 ? Trade.CloseOrderTicket : Trade.Ticket;
}

/// <summary>A last price of an instrument.</summary>
public sealed record PriceView(string Symbol, Quote Quote, string Base, string QuoteCurrency);

/// <summary>An account after a balance operation, with the operation (null when the change was not one).</summary>
public sealed record BalanceUpdateView(AccountView Account, LedgerEntry? Operation);

/// <summary>
/// Metadata maps travel as a JSON object of strings in <see cref="AccountProfile.ApiData"/> and
/// <see cref="TradeRecord.ApiData"/> (docs/manager-api.md, "Metadata"); the comment stays the client's.
/// </summary>
public static class Metadata
{
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> Of(TradeRecord trade) => Parse(trade.ApiData);

    public static IReadOnlyDictionary<string, string> Parse(string? apiData)
    {
        if (string.IsNullOrEmpty(apiData) || apiData[0] != '{') return Empty;
        try
        {
            using var doc = JsonDocument.Parse(apiData);
            var map = new Dictionary<string, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String) map[p.Name] = p.Value.GetString()!;
            }
            return map;
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public static string Serialize(IReadOnlyDictionary<string, string> map) =>
        map.Count == 0 ? "" : JsonSerializer.Serialize(map);

    public static void Write(Utf8JsonWriter w, IReadOnlyDictionary<string, string> map)
    {
        w.WritePropertyName("metadata");
        w.WriteStartObject();
        foreach (var (k, v) in map) w.WriteString(k, v);
        w.WriteEndObject();
    }
}
