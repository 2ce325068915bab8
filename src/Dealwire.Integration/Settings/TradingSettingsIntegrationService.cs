using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Settings;
using Dealwire.Integration.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Dealwire.Integration.Settings;

/// <summary>
/// <c>TradingSettingsIntegrationGrpcService</c> over the configuration the Server API changes (symbols, symbol groups,
/// groups), through the same engine commands (UpsertSymbol, UpsertGroup, PatchGroup) and rights (<c>config</c> inside
/// the mask). Dealwire's model is flatter than the vendor's: a trading group carries its own trading profile, swap
/// profile and markup profile, so all four share the group's name as their id (docs/integration-grpc.md, "Settings").
/// Every Insert answers the record as stored, read back from the live view, so a client sees what Dealwire kept.
/// </summary>
public sealed partial class TradingSettingsIntegrationService(IntegrationGateway gateway)
    : TradingSettingsIntegrationGrpcService.TradingSettingsIntegrationGrpcServiceBase
{
    private Engine.Model.GroupConfig RequireGroup(string id)
    {
        if (id.Length == 0) throw SettingsAccess.Invalid("an id (the trading group's name) is required");
        return gateway.View.GetGroup(id) ?? throw SettingsAccess.NotFound($"trading group '{id}' does not exist");
    }

    private async Task<Engine.Model.GroupConfig> PatchGroupAsync(Auth.Caller caller, string name, GroupPatch patch, CancellationToken ct)
    {
        var result = await gateway.SubmitAsync(new PatchGroup(name, patch) { Actor = caller.Actor }, ct);
        if (!result.IsOk || result.Value is null) throw SettingsAccess.Refused(result.Code, result.Message);
        return await gateway.ReadAfterAsync(result.Sequence, v => v.GetGroup(name), ct) ?? result.Value;
    }

    private static async Task StreamAsync<TRecord, TModel>(IEnumerable<TRecord> records, Func<TRecord, TModel> model,
        IServerStreamWriter<TModel> stream, CancellationToken ct)
    {
        foreach (var record in records)
        {
            ct.ThrowIfCancellationRequested();
            await stream.WriteAsync(model(record), ct);
        }
    }

    private static decimal Decimal(double value, string field) =>
        WireNumbers.TryDecimal(value, out var d) ? d : throw SettingsAccess.Invalid($"{field} is not a number");

    /// <summary>Swap schedules have no counterpart: the engine keeps one triple-swap day per symbol, not named schedules.</summary>
    public override Task<SwapScheduleGrpcModel> InsertOrReplaceTradingSwapProfileSchedule(SwapScheduleGrpcModel request, ServerCallContext context)
    {
        SettingsAccess.Writer(context);
        throw new RpcException(new Status(StatusCode.Unimplemented,
            "swap schedules are not supported: Dealwire keeps a triple-swap day per symbol (Server API symbol settings), not named schedules"));
    }

    /// <summary>No named swap schedules exist (see <see cref="InsertOrReplaceTradingSwapProfileSchedule"/>): the stream is empty.</summary>
    public override Task GetTradingSwapProfileSchedules(Empty request, IServerStreamWriter<SwapScheduleGrpcModel> responseStream, ServerCallContext context)
    {
        SettingsAccess.Reader(context);
        return Task.CompletedTask;
    }
}
