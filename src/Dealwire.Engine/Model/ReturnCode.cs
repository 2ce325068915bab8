namespace Dealwire.Engine.Model;

/// <summary>Result codes of the ScaleTrade model (RET_*), shared by every gateway.</summary>
public enum ReturnCode
{
    Ok = 0,
    OkNone = 1,
    Error = 2,
    InvalidData = 3,
    TechProblem = 4,
    NotEnoughRights = 7,
    TooFrequent = 8,
    ErrParams = 13,
    ErrData = 14,
    ErrPermissions = 18,
    ErrTimeout = 19,
    ErrFrequent = 22,
    ErrNotFound = 23,
    ErrShutdown = 24,
    ErrDuplicate = 26,
    GroupNotFound = 28,
    GroupUsedByUser = 29,
    SecurityUsedBySymbol = 32,
    SymbolUsedByTrade = 33,
    SymbolNotFound = 34,
    SecurityNotFound = 35,
    UserNotFound = 48,
    LoginExists = 52,
    UserHasTrades = 56,
    UserDifferentCurrency = 58,
    AccountDisabled = 64,
    TradeTimeout = 128,
    TradeBadPrices = 129,
    TradeBadStops = 130,
    TradeBadVolume = 131,
    TradeMarketClosed = 132,
    TradeDisabled = 133,
    TradeNoMoney = 134,
    TradePriceChanged = 135,
    TradeOffQuotes = 136,
    TradeLongOnly = 140,
    TradeTooManyRequests = 141,
    TradeModifyDenied = 150,
    TradeExpirationDenied = 152,
    TradeTooManyOrders = 153,
    TradeHedgeProhibited = 154,
    TradeProhibitedByFifo = 155,
    DuplicateRecord = 156,
    TradeSecurityNotFound = 157,
    TradeInvalidSlTp = 158,
    TradeBadCloseTime = 159,
    TradeReadOnly = 160,
    TradeIncorrectState = 161,
    TradeIncorrectCmd = 162,
    TradeIncorrectOrder = 163,
    TradeExists = 164,
    TradeLimitReached = 165,
    TradeHasOpen = 166,

    /// <summary>Dealwire's own: this replica is not the leader of its cluster; the message names the leader to reconnect to.</summary>
    NotLeader = 503,
}

public static class ReturnCodeNames
{
    /// <summary>The symbolic wire name of a code, e.g. <c>RET_TRADE_NO_MONEY</c>.</summary>
    public static string WireName(this ReturnCode code) => code switch
    {
        ReturnCode.Ok => "RET_OK",
        ReturnCode.OkNone => "RET_OK_NONE",
        ReturnCode.Error => "RET_ERROR",
        ReturnCode.InvalidData => "RET_INVALID_DATA",
        ReturnCode.TechProblem => "RET_TECH_PROBLEM",
        ReturnCode.NotEnoughRights => "RET_NOT_ENOUGH_RIGHTS",
        ReturnCode.TooFrequent => "RET_TOO_FREQUENT",
        ReturnCode.ErrParams => "RET_ERR_PARAMS",
        ReturnCode.ErrData => "RET_ERR_DATA",
        ReturnCode.ErrPermissions => "RET_ERR_PERMISSIONS",
        ReturnCode.ErrTimeout => "RET_ERR_TIMEOUT",
        ReturnCode.ErrFrequent => "RET_ERR_FREQUENT",
        ReturnCode.ErrNotFound => "RET_ERR_NOTFOUND",
        ReturnCode.ErrShutdown => "RET_ERR_SHUTDOWN",
        ReturnCode.NotLeader => "RET_NOT_LEADER",
        ReturnCode.ErrDuplicate => "RET_ERR_DUPLICATE",
        ReturnCode.GroupNotFound => "RET_GROUP_NOT_FOUND",
        ReturnCode.GroupUsedByUser => "RET_GROUP_USE_BY_USER",
        ReturnCode.SecurityUsedBySymbol => "RET_SEC_USE_BY_SYMBOL",
        ReturnCode.SymbolUsedByTrade => "RET_SYMBOL_USE_BY_TRADE",
        ReturnCode.SymbolNotFound => "RET_SYMBOL_NOT_FOUND",
        ReturnCode.SecurityNotFound => "RET_SEC_NOT_FOUND",
        ReturnCode.UserNotFound => "RET_USER_NOT_FOUND",
        ReturnCode.LoginExists => "RET_USR_LOGIN_EXIST",
        ReturnCode.UserHasTrades => "RET_USR_HAS_TRADES",
        ReturnCode.UserDifferentCurrency => "RET_USR_DIFFERENT_CURRENCY",
        ReturnCode.AccountDisabled => "RET_ACCOUNT_DISABLED",
        ReturnCode.TradeTimeout => "RET_TRADE_TIMEOUT",
        ReturnCode.TradeBadPrices => "RET_TRADE_BAD_PRICES",
        ReturnCode.TradeBadStops => "RET_TRADE_BAD_STOPS",
        ReturnCode.TradeBadVolume => "RET_TRADE_BAD_VOLUME",
        ReturnCode.TradeMarketClosed => "RET_TRADE_MARKET_CLOSED",
        ReturnCode.TradeDisabled => "RET_TRADE_DISABLE",
        ReturnCode.TradeNoMoney => "RET_TRADE_NO_MONEY",
        ReturnCode.TradePriceChanged => "RET_TRADE_PRICE_CHANGED",
        ReturnCode.TradeOffQuotes => "RET_TRADE_OFFQUOTES",
        ReturnCode.TradeLongOnly => "RET_TRADE_LONG_ONLY",
        ReturnCode.TradeTooManyRequests => "RET_TRADE_TOO_MANY_REQ",
        ReturnCode.TradeModifyDenied => "RET_TRADE_MODIFY_DENIED",
        ReturnCode.TradeExpirationDenied => "RET_TRADE_EXPIRATION_DENIED",
        ReturnCode.TradeTooManyOrders => "RET_TRADE_TOO_MANY_ORDERS",
        ReturnCode.TradeHedgeProhibited => "RET_TRADE_HEDGE_PROHIBITED",
        ReturnCode.TradeProhibitedByFifo => "RET_TRADE_PROHIBITED_BY_FIFO",
        ReturnCode.DuplicateRecord => "RET_DUPLICATE_RECORD",
        ReturnCode.TradeSecurityNotFound => "RET_TRADE_SEC_NOT_FOUND",
        ReturnCode.TradeInvalidSlTp => "RET_TRADE_INVALID_SL_TP",
        ReturnCode.TradeBadCloseTime => "RET_TRADE_BAD_CLOSE_TIME",
        ReturnCode.TradeReadOnly => "RET_TRADE_READ_ONLY",
        ReturnCode.TradeIncorrectState => "RET_TRADE_INCORRECT_STATE",
        ReturnCode.TradeIncorrectCmd => "RET_TRADE_INCORRECT_CMD",
        ReturnCode.TradeIncorrectOrder => "RET_TRADE_INCORRECT_ORDER",
        ReturnCode.TradeExists => "RET_TRADE_EXIST",
        ReturnCode.TradeLimitReached => "RET_TRADE_LIMIT_REACHED",
        ReturnCode.TradeHasOpen => "RET_TRADE_HAS_OPEN",
        _ => "RET_ERROR",
    };

    /// <summary>HTTP-style status of a code, as the spec's FormatWebStatus mapping (scaletrade-tcp §4.3).</summary>
    public static int HttpStatus(this ReturnCode code) => code switch
    {
        ReturnCode.Ok or ReturnCode.OkNone => 200,
        ReturnCode.NotLeader => 503,
        ReturnCode.InvalidData or ReturnCode.ErrParams or ReturnCode.ErrData or ReturnCode.TradeBadPrices
            or ReturnCode.TradeBadStops or ReturnCode.TradeBadVolume or ReturnCode.TradeInvalidSlTp
            or ReturnCode.TradeBadCloseTime or ReturnCode.TradeIncorrectState or ReturnCode.TradeIncorrectCmd
            or ReturnCode.TradeIncorrectOrder => 400,
        ReturnCode.TradeDisabled or ReturnCode.TradeReadOnly or ReturnCode.AccountDisabled
            or ReturnCode.NotEnoughRights or ReturnCode.ErrPermissions => 403,
        ReturnCode.UserNotFound or ReturnCode.GroupNotFound or ReturnCode.SecurityNotFound
            or ReturnCode.SymbolNotFound or ReturnCode.TradeSecurityNotFound or ReturnCode.ErrNotFound => 404,
        ReturnCode.TradeNoMoney or ReturnCode.SymbolUsedByTrade or ReturnCode.UserHasTrades
            or ReturnCode.LoginExists or ReturnCode.TradeHedgeProhibited or ReturnCode.TradeLimitReached
            or ReturnCode.TradeExists or ReturnCode.TradeHasOpen or ReturnCode.DuplicateRecord
            or ReturnCode.ErrDuplicate => 409,
        ReturnCode.TradeMarketClosed => 423,
        ReturnCode.TooFrequent or ReturnCode.ErrFrequent or ReturnCode.TradeTooManyRequests => 429,
        _ => 500,
    };
}
