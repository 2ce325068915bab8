using Dealwire.Engine.Model;
using Dealwire.Security;
using Grpc.Core;

namespace Dealwire.Integration.Auth;

/// <summary>
/// Who is calling: the manager identity of the call's key. Its group mask hides accounts and groups outside it
/// exactly as on the Server and Manager APIs (an account outside the mask is "not found", never "forbidden", so
/// the mask does not leak which logins exist); its rights gate each RPC as the Server API's rights matrix does.
/// </summary>
public sealed class Caller(SessionIdentity identity)
{
    public SessionIdentity Identity { get; } = identity;

    public GroupMask Mask { get; } = new(identity.GroupMask);

    /// <summary>The engine actor (audit trail, idempotency scope): the same string the other protocols use for this manager.</summary>
    public string Actor => Identity.Actor;

    public bool Sees(string group) => Mask.Matches(group);

    /// <summary>
    /// A missing right ends the call with PERMISSION_DENIED: the vendor's operation codes have no value for it, and
    /// a key without the right is a configuration error of the integrator, not a business outcome.
    /// </summary>
    public void Require(string right)
    {
        if (!Identity.HasRight(right)) throw new RpcException(new Status(StatusCode.PermissionDenied, $"the manager key lacks the '{right}' right"));
    }
}
