using Grpc.Core;

namespace Dealwire.Integration.Hosting;

/// <summary>
/// Requests no operation code of the vendor's enums can describe (a malformed ProcessId, a NaN or zero amount, an
/// account id that is not a login) end with INVALID_ARGUMENT and a message saying which field; nothing is changed.
/// Every business outcome is an operation code in the response instead (docs/integration-grpc.md).
/// </summary>
public static class Refusals
{
    public const int MaxProcessIdLength = 128;

    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>1–128 characters, the bound the other protocols put on their idempotency keys.</summary>
    public static string ProcessId(string processId) =>
        processId.Length is > 0 and <= MaxProcessIdLength ? processId : throw InvalidArgument($"ProcessId must be 1-{MaxProcessIdLength} characters");
}
