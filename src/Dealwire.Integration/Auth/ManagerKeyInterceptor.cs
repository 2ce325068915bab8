using Dealwire.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Dealwire.Integration.Auth;

/// <summary>
/// Every call of the integration services carries a manager key, as <c>authorization: Bearer &lt;key&gt;</c> or
/// <c>x-api-key: &lt;key&gt;</c> metadata (spec §1, DECISION), checked through <see cref="ManagerKeyStore.Authenticate"/>,
/// the one place a key becomes a mask and rights. A call without a valid key never reaches a service: it ends with
/// gRPC status UNAUTHENTICATED, the only failure this gateway reports as a status rather than an operation code
/// (no response message exists yet to carry one). Health checking and reflection stay open: they reveal no
/// trading data and standard tools probe them without credentials.
/// </summary>
public sealed class ManagerKeyInterceptor(ManagerKeyStore keys) : Interceptor
{
    private const string IdentityKey = "dealwire.identity";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    /// <summary>The identity the interceptor established for this call.</summary>
    public static Caller CallerOf(ServerCallContext context) =>
        context.UserState.TryGetValue(IdentityKey, out var value) && value is Caller caller
            ? caller
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "no manager key"));

    private void Authenticate(ServerCallContext context)
    {
        if (IsOpen(context.Method)) return;
        var secret = SecretOf(context.RequestHeaders)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "missing manager key: send 'authorization: Bearer <key>' or 'x-api-key: <key>'"));
        var identity = keys.Authenticate(secret)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown manager key"));
        context.UserState[IdentityKey] = new Caller(identity);
    }

    private static bool IsOpen(string method) =>
        method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)
        || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    internal static string? SecretOf(Metadata headers)
    {
        foreach (var entry in headers)
        {
            if (entry.IsBinary) continue;
            if (entry.Key == "x-api-key" && entry.Value.Length > 0) return entry.Value.Trim();
            if (entry.Key == "authorization" && entry.Value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                var token = entry.Value["Bearer ".Length..].Trim();
                if (token.Length > 0) return token;
            }
        }
        return null;
    }
}
