namespace Dealwire.Client;

/// <summary>
/// The server answered a command with an error frame
/// <c>{"extID":…,"status":409,"error":"RET_USR_HAS_TRADES","message":"…"}</c>.
/// </summary>
public sealed class ServerApiException : Exception
{
    /// <summary>Creates the exception for an error reply.</summary>
    public ServerApiException(string command, int status, string error, string serverMessage)
        : base($"{command} failed: {status} {error}: {serverMessage}")
    {
        Command = command;
        Status = status;
        Error = error;
        ServerMessage = serverMessage;
    }

    /// <summary>The command that was rejected.</summary>
    public string Command { get; }

    /// <summary>HTTP-style status of the reply (400, 401, 404, 409, 504, …).</summary>
    public int Status { get; }

    /// <summary>The stable symbolic error code, e.g. <c>INVALID_DATA</c> or <c>RET_USER_NOT_FOUND</c>.</summary>
    public string Error { get; }

    /// <summary>The server's human-readable text (the <c>message</c> field).</summary>
    public string ServerMessage { get; }
}
