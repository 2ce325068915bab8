using System.Text.Json;

namespace Dealwire.Client;

/// <summary>What happened to the record of an event object (<c>type</c>, EV_RECORD_*).</summary>
public enum RecordChange
{
    /// <summary>0 created.</summary>
    Add = 0,
    /// <summary>1 changed.</summary>
    Update = 1,
    /// <summary>2 deleted.</summary>
    Delete = 2,
    /// <summary>3 restored.</summary>
    Restore = 3,
    /// <summary>4 archived.</summary>
    Archive = 4,
    /// <summary>5 pending order activated.</summary>
    ActivateTrade = 5,
    /// <summary>6 trade closed.</summary>
    CloseTrade = 6,
}

/// <summary><c>{"event":"trade:event","type":N,"data":TradeRecord}</c>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Trade">The record after the change.</param>
/// <param name="Data">The raw <c>data</c> object.</param>
public sealed record TradeEvent(RecordChange Type, TradeRecord Trade, JsonElement Data) : IAccountScoped, ISymbolScoped
{
    /// <inheritdoc/>
    public long Login => Trade.Login;

    /// <inheritdoc/>
    public string Symbol => Trade.Symbol;
}

/// <summary><c>{"event":"balance:event","type":N,"data":{login,balance,equity,margin_level,…}}</c>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Margin">The account's money figures.</param>
/// <param name="Data">The raw <c>data</c> object.</param>
public sealed record BalanceEvent(RecordChange Type, AccountMargin Margin, JsonElement Data) : IAccountScoped
{
    /// <inheritdoc/>
    public long Login => Margin.Login;
}

/// <summary><c>{"event":"user:event","type":N,"data":AccountRecord}</c>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Account">The account after the change.</param>
/// <param name="Data">The raw <c>data</c> object.</param>
public sealed record UserEvent(RecordChange Type, AccountInfo Account, JsonElement Data) : IAccountScoped
{
    /// <inheritdoc/>
    public long Login => Account.Login;
}

/// <summary><c>{"event":"symbol:event","type":N,"data":SymbolRecord}</c>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="SymbolInfo">The symbol after the change.</param>
/// <param name="Data">The raw <c>data</c> object.</param>
public sealed record SymbolEvent(RecordChange Type, SymbolInfo SymbolInfo, JsonElement Data) : ISymbolScoped
{
    /// <inheritdoc/>
    public string Symbol => SymbolInfo.Symbol;
}

/// <summary><c>{"event":"group:event","type":N,"data":GroupRecord}</c>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Group">The group after the change.</param>
/// <param name="Data">The raw <c>data</c> object.</param>
public sealed record GroupEvent(RecordChange Type, GroupInfo Group, JsonElement Data);
