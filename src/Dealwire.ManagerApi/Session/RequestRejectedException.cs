namespace Dealwire.ManagerApi.Session;

/// <summary>Thrown by request parsing and handlers to answer a request with an error code.</summary>
public sealed class RequestRejectedException(string code) : Exception(code)
{
    public string Code { get; } = code;
}
