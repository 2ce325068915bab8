using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Engine;

namespace Dealwire.Integration.Trading;

/// <summary>Engine return codes in the vendor's <see cref="EngineOperationCode"/> (spec §4.5; §6 for the Manager API's equivalents).</summary>
public static class EngineCodes
{
    /// <param name="code">The engine's answer.</param>
    /// <param name="stopLossChanged">Whether the request set a stop loss (a bad stop is then the SL's, else the TP's).</param>
    /// <param name="belowMinimum">For a bad volume: whether it was under the group's minimum (else over the maximum).</param>
    public static EngineOperationCode Map(ReturnCode code, bool stopLossChanged = false, bool belowMinimum = false) => code switch
    {
        ReturnCode.Ok => EngineOperationCode.Ok,
        // A repeated ProcessId: OkNone answers the original outcome, ErrDuplicate refuses a different request.
        ReturnCode.OkNone or ReturnCode.ErrDuplicate => EngineOperationCode.ProcessIdDuplicate,
        ReturnCode.UserNotFound => EngineOperationCode.AccountNotFound,
        ReturnCode.SymbolNotFound or ReturnCode.TradeSecurityNotFound => EngineOperationCode.InstrumentNotFound,
        ReturnCode.SecurityNotFound => EngineOperationCode.TradingProfileInstrumentNotFound,
        ReturnCode.GroupNotFound => EngineOperationCode.TradingGroupNotFound,
        ReturnCode.TradeNoMoney => EngineOperationCode.NotEnoughBalance,
        ReturnCode.TradeMarketClosed => EngineOperationCode.DayOff,
        ReturnCode.TradeDisabled or ReturnCode.AccountDisabled or ReturnCode.TradeReadOnly or ReturnCode.TradeLongOnly => EngineOperationCode.TradingDisabled,
        ReturnCode.TradeOffQuotes or ReturnCode.TradePriceChanged => EngineOperationCode.NoLiquidity,
        ReturnCode.TradeBadStops or ReturnCode.TradeInvalidSlTp => stopLossChanged ? EngineOperationCode.SlIsTooClose : EngineOperationCode.TpIsTooClose,
        ReturnCode.TradeBadVolume => belowMinimum ? EngineOperationCode.MinLotsSizeReached : EngineOperationCode.MaxLotsSizeReached,
        ReturnCode.ErrNotFound or ReturnCode.TradeIncorrectOrder => EngineOperationCode.PositionNotFound,
        ReturnCode.TradeTooManyOrders => EngineOperationCode.HitMaxAmountOfPendingOrders,
        ReturnCode.TradeLimitReached => EngineOperationCode.MaxPositionsAmount,
        _ => EngineOperationCode.TechError,
    };
}
