namespace Dealwire.Integration.Hosting;

/// <summary>
/// <c>ProcessId</c> as the engine's idempotency key (the same keys, scoped to the manager's actor, that the Manager
/// API's <c>process_id</c> and the Server API's <c>idempotency_key</c> use): journaled with the command and kept in
/// snapshots, so a retry answers the original outcome after a restart too. The RPC name is part of the key, so one
/// ProcessId reused for two different RPCs is two operations, and the <c>grpc:</c> prefix keeps this protocol's keys
/// apart from the other protocols' keys of the same manager.
/// </summary>
public static class IdempotencyKeys
{
    private const string Prefix = "grpc:";

    public static string For(string rpc, string processId) => $"{Prefix}{rpc}:{processId}";
}
