using System.Text.Json.Serialization;

namespace Dealwire.Client.Protocol;

// Small request bodies of the typed commands; the wire spellings (including "chanels") are the contract.

internal sealed record ChannelsRequest([property: JsonPropertyName("chanels")] IReadOnlyCollection<string> Channels);

internal sealed record LoginRequest(long Login);

internal sealed record LoginsRequest(IReadOnlyCollection<long> Logins);

internal sealed record OrderRequest(long Order);

internal sealed record SymbolRequest(string Symbol);

internal sealed record GroupMaskRequest(string GroupMask);

internal sealed record TradesByGroupRequest(string GroupMask, int OpenOnly);

internal sealed record TradesHistoryRequest(long Login, long From, long To);

/// <summary>BalanceIn/Out, CreditIn/Out (and Sync): the amount carries the wire sign (negative for Out).</summary>
internal sealed record FinanceRequest(long Login, decimal Amount, string? Comment);
