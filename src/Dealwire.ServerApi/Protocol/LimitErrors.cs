namespace Dealwire.ServerApi.Protocol;

/// <summary>
/// Error names of the transport limits (docs/server-api.md, "Limits and deadlines"). Each comes with the
/// status shown and, except <see cref="ReplyTooLarge"/>, is followed by the server closing the connection.
/// </summary>
internal static class LimitErrors
{
    /// <summary>408: no command carried a valid <c>__token</c> within <c>AuthenticationTimeout</c>.</summary>
    public const string AuthenticationTimeout = "RET_AUTH_TIMEOUT";

    /// <summary>408: a started line was not finished within <c>LineCompletionTimeout</c>.</summary>
    public const string LineTimeout = "RET_LINE_TIMEOUT";

    /// <summary>503: the listener's budget for partially received lines (<c>MaxPartialLineBytes</c>) is spent.</summary>
    public const string ServerBusy = "RET_SERVER_BUSY";

    /// <summary>413, connection kept: the reply alone exceeds <c>MaxPendingReplyBytes</c>; ask for fewer rows (limit/offset).</summary>
    public const string ReplyTooLarge = "RET_REPLY_TOO_LARGE";
}
