using Dealwire.Engine.Model;
using Dealwire.Integration.Auth;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Grpc.Core;

namespace Dealwire.Integration.Settings;

/// <summary>
/// The Server API's rule for configuration changes (rights matrix: right <c>config</c>; "target group" for a group,
/// "affected groups" for a symbol): a change may be made only when the manager's mask covers every trading group it
/// reaches. The settings service has no operation codes (its responses are the models), so a refusal is a gRPC
/// status: PERMISSION_DENIED for a missing right or a group outside the mask.
/// </summary>
public static class SettingsAccess
{
    public static Caller Reader(ServerCallContext context) => ManagerKeyInterceptor.CallerOf(context);

    public static Caller Writer(ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.Config);
        return caller;
    }

    public static void RequireGroup(Caller caller, string group)
    {
        if (!caller.Sees(group)) throw new RpcException(new Status(StatusCode.PermissionDenied, $"group '{group}' is outside the manager's mask"));
    }

    /// <summary>
    /// Groups a change to <paramref name="symbol"/> (in symbol groups <paramref name="securityIndexes"/>, before and
    /// after) reaches: groups trading those symbol groups (no list = all) and groups of accounts holding its trades.
    /// </summary>
    public static void RequireSymbolScope(Caller caller, ILiveView view, string symbol, params int[] securityIndexes)
    {
        foreach (var g in view.GetGroups())
        {
            if (g.Securities is null || g.Securities.Any(s => securityIndexes.Contains(s.SecurityIndex))) RequireGroup(caller, g.Name);
        }
        foreach (var t in view.GetPositions().Concat(view.GetPendingOrders()))
        {
            if (t.Symbol == symbol && view.GroupOf(t.Login) is { } group) RequireGroup(caller, group);
        }
    }

    public static RpcException NotFound(string what) => new(new Status(StatusCode.NotFound, what));

    public static RpcException Invalid(string what) => new(new Status(StatusCode.InvalidArgument, what));

    public static RpcException Refused(ReturnCode code, string message) => new(new Status(StatusCode.FailedPrecondition, $"{code.WireName()}: {message}"));
}
