namespace Dealwire.ManagerApi.Protocol;

/// <summary>
/// Error codes exactly as they travel on the wire (<c>YftManagerApiErrorType</c> and the seed's
/// <c>UpdateBalanceErrorCode</c>), misspellings included: clients compare these strings.
/// </summary>
public static class ManagerErrors
{
    public const string Unauthorized = "unauthorized";
    public const string AuthFailed = "auth_failed";
    public const string UnknownTopic = "unknown_topic";
    public const string NetworkError = "network_error";
    public const string Unexpected = "unexpected";
    public const string InvalidMessageFormat = "invalid_message_format";
    public const string AccountNotFound = "account_not_found";
    public const string ReceiverAccountNotFound = "receiver_account_not_found";
    public const string DayOff = "day_off";
    public const string TradingGroupNotFound = "trading_group_not_found";
    public const string AssetPairTradingSettingsNotFound = "asset_pair_trading_settings_not_found";
    public const string NotEnoughBalance = "not_enough_balance";
    public const string InvalidBalanceTransferAmount = "invalid_balance_transfer_amount";
    public const string AssetPairPriceNotFound = "asset_pair_price_not_found";
    public const string AssetPairNotFound = "asset_pair_not_found";
    public const string AccountTradingDisabled = "account_trading_disabled";
    public const string NoLiquidity = "no_liquidity";
    public const string InvalidSl = "invalid_sl";
    public const string InvalidTp = "invalid_tp";
    public const string PositionNotFound = "position_not_found";
    public const string OperationNotSupportForThisOrderType = "operation_not_support_for_this_order_type";
    public const string OrderNotFound = "order_not_found";
    public const string InvalidCollateral = "invalid_collateral";
    public const string TradingAccountSettingsNotFound = "trading_account_settings_not_found";
    public const string LotsTooLow = "lots_too_low";
    public const string LotsTooHigh = "lots_too_high";
    public const string InvalidDesirePrice = "invalid_desire_price";
    public const string SenderAccountDisabled = "sender_account_disabled";
    public const string RecieverAccountDisabled = "reciever_account_disabled";
    public const string ConvertIdError = "convert_id_error";

    /// <summary>Seed-only <c>UpdateBalanceErrorCode</c> values.</summary>
    public const string SeedTradingSettingsNotFound = "trading_settings_not_found";
    public const string SeedUndefined = "undefinded";
}
