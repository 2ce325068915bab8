using System.Text.Json;

namespace Dealwire.ServerApi.Wire;

/// <summary>
/// The member names of the records every round trip puts on the wire — the trade record (every trade answer and
/// trade:event) and the margin figures (every balance:event) — escaped once: a name given as a span is checked for
/// characters to escape on every write, about 1 % of a server at full load. Colder writers keep their spans.
/// </summary>
internal static class WireNames
{
    public static readonly JsonEncodedText Order = JsonEncodedText.Encode("order"u8);
    public static readonly JsonEncodedText Login = JsonEncodedText.Encode("login"u8);
    public static readonly JsonEncodedText Symbol = JsonEncodedText.Encode("symbol"u8);
    public static readonly JsonEncodedText Digits = JsonEncodedText.Encode("digits"u8);
    public static readonly JsonEncodedText Cmd = JsonEncodedText.Encode("cmd"u8);
    public static readonly JsonEncodedText Volume = JsonEncodedText.Encode("volume"u8);
    public static readonly JsonEncodedText OpenTime = JsonEncodedText.Encode("open_time"u8);
    public static readonly JsonEncodedText State = JsonEncodedText.Encode("state"u8);
    public static readonly JsonEncodedText OpenPrice = JsonEncodedText.Encode("open_price"u8);
    public static readonly JsonEncodedText Sl = JsonEncodedText.Encode("sl"u8);
    public static readonly JsonEncodedText Tp = JsonEncodedText.Encode("tp"u8);
    public static readonly JsonEncodedText MarginInitial = JsonEncodedText.Encode("margin_initial"u8);
    public static readonly JsonEncodedText CloseTime = JsonEncodedText.Encode("close_time"u8);
    public static readonly JsonEncodedText Expiration = JsonEncodedText.Encode("expiration"u8);
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason"u8);
    public static readonly JsonEncodedText ConvRates = JsonEncodedText.Encode("conv_rates"u8);
    public static readonly JsonEncodedText MarginRate = JsonEncodedText.Encode("margin_rate"u8);
    public static readonly JsonEncodedText LastSwapTime = JsonEncodedText.Encode("last_swap_time"u8);
    public static readonly JsonEncodedText Commission = JsonEncodedText.Encode("commission"u8);
    public static readonly JsonEncodedText CommissionAgent = JsonEncodedText.Encode("commission_agent"u8);
    public static readonly JsonEncodedText Storage = JsonEncodedText.Encode("storage"u8);
    public static readonly JsonEncodedText Profit = JsonEncodedText.Encode("profit"u8);
    public static readonly JsonEncodedText NetProfit = JsonEncodedText.Encode("net_profit"u8);
    public static readonly JsonEncodedText Taxes = JsonEncodedText.Encode("taxes"u8);
    public static readonly JsonEncodedText ClosePrice = JsonEncodedText.Encode("close_price"u8);
    public static readonly JsonEncodedText StoplimitPrice = JsonEncodedText.Encode("stoplimit_price"u8);
    public static readonly JsonEncodedText Magic = JsonEncodedText.Encode("magic"u8);
    public static readonly JsonEncodedText Comment = JsonEncodedText.Encode("comment"u8);
    public static readonly JsonEncodedText Activation = JsonEncodedText.Encode("activation"u8);
    public static readonly JsonEncodedText GwOrder = JsonEncodedText.Encode("gw_order"u8);
    public static readonly JsonEncodedText GwSource = JsonEncodedText.Encode("gw_source"u8);
    public static readonly JsonEncodedText GwUuid = JsonEncodedText.Encode("gw_uuid"u8);
    public static readonly JsonEncodedText GwVolume = JsonEncodedText.Encode("gw_volume"u8);
    public static readonly JsonEncodedText GwOpenPrice = JsonEncodedText.Encode("gw_open_price"u8);
    public static readonly JsonEncodedText GwClosePrice = JsonEncodedText.Encode("gw_close_price"u8);
    public static readonly JsonEncodedText ApiData = JsonEncodedText.Encode("api_data"u8);
    public static readonly JsonEncodedText ParentOrder = JsonEncodedText.Encode("parent_order"u8);
    public static readonly JsonEncodedText ClosedVolume = JsonEncodedText.Encode("closed_volume"u8);
    public static readonly JsonEncodedText UpdateTime = JsonEncodedText.Encode("update_time"u8);
    public static readonly JsonEncodedText Group = JsonEncodedText.Encode("group"u8);
    public static readonly JsonEncodedText Leverage = JsonEncodedText.Encode("leverage"u8);
    public static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency"u8);
    public static readonly JsonEncodedText MarginType = JsonEncodedText.Encode("margin_type"u8);
    public static readonly JsonEncodedText Balance = JsonEncodedText.Encode("balance"u8);
    public static readonly JsonEncodedText Credit = JsonEncodedText.Encode("credit"u8);
    public static readonly JsonEncodedText Margin = JsonEncodedText.Encode("margin"u8);
    public static readonly JsonEncodedText MarginFree = JsonEncodedText.Encode("margin_free"u8);
    public static readonly JsonEncodedText MarginLevel = JsonEncodedText.Encode("margin_level"u8);
    public static readonly JsonEncodedText Equity = JsonEncodedText.Encode("equity"u8);
    public static readonly JsonEncodedText LevelType = JsonEncodedText.Encode("level_type"u8);
}
