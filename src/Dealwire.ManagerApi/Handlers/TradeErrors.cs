using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>What a trading command was acting on, to name "not found" and bad-stop errors precisely.</summary>
internal enum TradeTarget { NewOrder, PendingOrder, Position }

/// <summary>Engine return codes in the Manager API's error vocabulary.</summary>
internal static class TradeErrors
{
    public static string Map(ReturnCode code, TradeTarget target, bool stopLossChanged) => code switch
    {
        ReturnCode.UserNotFound => ManagerErrors.AccountNotFound,
        ReturnCode.SymbolNotFound or ReturnCode.TradeSecurityNotFound => ManagerErrors.AssetPairNotFound,
        ReturnCode.SecurityNotFound => ManagerErrors.AssetPairTradingSettingsNotFound,
        ReturnCode.GroupNotFound => ManagerErrors.TradingGroupNotFound,
        ReturnCode.TradeNoMoney => ManagerErrors.NotEnoughBalance,
        ReturnCode.TradeMarketClosed => ManagerErrors.DayOff,
        ReturnCode.TradeDisabled or ReturnCode.AccountDisabled or ReturnCode.TradeReadOnly or ReturnCode.TradeLongOnly
            => ManagerErrors.AccountTradingDisabled,
        ReturnCode.TradeOffQuotes or ReturnCode.TradePriceChanged => ManagerErrors.NoLiquidity,
        ReturnCode.TradeBadPrices => target == TradeTarget.Position ? ManagerErrors.AssetPairPriceNotFound : ManagerErrors.InvalidDesirePrice,
        ReturnCode.TradeBadStops or ReturnCode.TradeInvalidSlTp => stopLossChanged ? ManagerErrors.InvalidSl : ManagerErrors.InvalidTp,
        ReturnCode.TradeBadVolume => ManagerErrors.LotsTooHigh,
        ReturnCode.ErrNotFound or ReturnCode.TradeIncorrectOrder =>
            target == TradeTarget.Position ? ManagerErrors.PositionNotFound : ManagerErrors.OrderNotFound,
        ReturnCode.TradeIncorrectState or ReturnCode.TradeModifyDenied or ReturnCode.TradeIncorrectCmd
            => ManagerErrors.OperationNotSupportForThisOrderType,
        // A follower of a replica set refuses commands (RET_NOT_LEADER): the vendor's closed code list has no such
        // entry; network_error ("a downstream call failed") is the one its clients treat as "retry, elsewhere".
        ReturnCode.ErrShutdown or ReturnCode.ErrTimeout or ReturnCode.TradeTimeout or ReturnCode.NotLeader => ManagerErrors.NetworkError,
        _ => ManagerErrors.Unexpected,
    };
}
