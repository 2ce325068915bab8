using Dealwire.Engine.Model;

namespace Dealwire.ServerApi.Protocol;

/// <summary>Error names of the Server API that are not RET_* codes (scaletrade-tcp §4.2).</summary>
internal static class ErrorNames
{
    public const string InvalidData = "INVALID_DATA";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string SyncTimeout = "SYNC_TIMEOUT";
    public const string UserNotFoundOrIncorrect = "USER_NOT_FOUND_OR_INCORRECT";
    public const string UserDisabled = "USER_DISABLED";
    public const string GroupNotFound = "GROUP_NOT_FOUND";
    public const string DeleteGroupError = "DELETE_GROUP_ERROR";
    /// <summary>A history read the store could not serve consistently (database down or far behind, or its projector stopped).</summary>
    public const string TradeHistoryError = "TRADE_HISTORY_ERROR";
    /// <summary>Dealwire extension: a <c>data.idempotency_key</c> already used for a different request.</summary>
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";


    /// <summary>Unsolicited (extID null) 401 before the server closes a connection whose latest token expired.</summary>
    public const string TokenExpired = "TOKEN_EXPIRED";

    /// <summary>Unsolicited (extID null) 401 before the server closes a user connection whose account was deleted.</summary>
    public const string AccountDeleted = "ACCOUNT_DELETED";
}

/// <summary>
/// A request that cannot be served, with the status, error name and readable message that go into
/// the error frame. Thrown by validation and permission checks, caught by the dispatcher.
/// </summary>
internal sealed class ProtocolException(int status, string error, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Error { get; } = error;

    public static ProtocolException InvalidData(string message) => new(400, ErrorNames.InvalidData, message);

    public static ProtocolException Rejected(ReturnCode code, string message) => new(code.HttpStatus(), code.WireName(), message);

    public static ProtocolException NotEnoughRights(string message) =>
        Rejected(ReturnCode.NotEnoughRights, message);
}
