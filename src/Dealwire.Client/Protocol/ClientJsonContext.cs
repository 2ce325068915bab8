using System.Text.Json.Serialization;

namespace Dealwire.Client.Protocol;

/// <summary>Source-generated (reflection-free) JSON for the typed commands and pushed records; wire names are snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TradeRecord))]
[JsonSerializable(typeof(TradeAck))]
[JsonSerializable(typeof(OpenTradeRequest))]
[JsonSerializable(typeof(PendingOrderRequest))]
[JsonSerializable(typeof(CloseTradeRequest))]
[JsonSerializable(typeof(TradeUpdateRequest))]
[JsonSerializable(typeof(NewAccount))]
[JsonSerializable(typeof(AccountUpdate))]
[JsonSerializable(typeof(AccountResult))]
[JsonSerializable(typeof(AccountInfo))]
[JsonSerializable(typeof(AccountMargin))]
[JsonSerializable(typeof(SymbolInfo))]
[JsonSerializable(typeof(GroupInfo))]
[JsonSerializable(typeof(FinanceRequest))]
[JsonSerializable(typeof(ChannelsRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginsRequest))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(SymbolRequest))]
[JsonSerializable(typeof(GroupMaskRequest))]
[JsonSerializable(typeof(TradesByGroupRequest))]
[JsonSerializable(typeof(TradesHistoryRequest))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
