using System.Text.Json.Serialization;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>
/// A state-changing request to the engine. Commands are the journal's records: applying the same
/// commands, with the same stamped <see cref="Time"/>, to an empty engine reproduces the same state.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$c")]
[JsonDerivedType(typeof(CreateAccount), "account.create")]
[JsonDerivedType(typeof(UpdateAccount), "account.update")]
[JsonDerivedType(typeof(DeleteAccount), "account.delete")]
[JsonDerivedType(typeof(PostLedger), "ledger.post")]
[JsonDerivedType(typeof(ReverseLedger), "ledger.reverse")]
[JsonDerivedType(typeof(AmendLedger), "ledger.amend")]
[JsonDerivedType(typeof(OpenPosition), "trade.open")]
[JsonDerivedType(typeof(ClosePosition), "trade.close")]
[JsonDerivedType(typeof(CloseBy), "trade.closeby")]
[JsonDerivedType(typeof(ModifyPosition), "trade.modify")]
[JsonDerivedType(typeof(PlacePendingOrder), "order.place")]
[JsonDerivedType(typeof(ModifyPendingOrder), "order.modify")]
[JsonDerivedType(typeof(CancelPendingOrder), "order.cancel")]
[JsonDerivedType(typeof(EditTrade), "trade.edit")]
[JsonDerivedType(typeof(DeleteTrade), "trade.delete")]
[JsonDerivedType(typeof(RestoreTrade), "trade.restore")]
[JsonDerivedType(typeof(ApplyTick), "tick")]
[JsonDerivedType(typeof(AdvanceTime), "time")]
[JsonDerivedType(typeof(SetRolloverTime), "settings.rollover")]
[JsonDerivedType(typeof(UpdateServerConfig), "settings.server")]
[JsonDerivedType(typeof(UpsertSymbol), "symbol.upsert")]
[JsonDerivedType(typeof(DeleteSymbol), "symbol.delete")]
[JsonDerivedType(typeof(UpsertSymbolGroup), "secgroup.upsert")]
[JsonDerivedType(typeof(DeleteSymbolGroup), "secgroup.delete")]
[JsonDerivedType(typeof(UpsertGroup), "group.upsert")]
[JsonDerivedType(typeof(DeleteGroup), "group.delete")]
[JsonDerivedType(typeof(AddNotification), "notify.add")]
[JsonDerivedType(typeof(PatchAccount), "account.patch")]
[JsonDerivedType(typeof(PatchSymbol), "symbol.patch")]
[JsonDerivedType(typeof(PatchSymbolGroup), "secgroup.patch")]
[JsonDerivedType(typeof(PatchGroup), "group.patch")]
[JsonDerivedType(typeof(EditChart), "chart.edit")]
[JsonDerivedType(typeof(UpsertDesk), "desk.upsert")]
[JsonDerivedType(typeof(AddCustomer), "customer.add")]
[JsonDerivedType(typeof(LinkAccountToCustomer), "account.link_customer")]
[JsonDerivedType(typeof(TakeCheckpoint), "state.checkpoint")]
[JsonDerivedType(typeof(VerifyCheckpoint), "state.verify")]
public abstract record EngineCommand
{
    /// <summary>Position in the engine's total order; assigned by the runner.</summary>
    [JsonInclude]
    public long Sequence { get; internal set; }

    /// <summary>Engine time, Unix milliseconds; stamped by the runner (monotonic), never read from a clock inside.</summary>
    [JsonInclude]
    public long Time { get; internal set; }

    /// <summary>Who asked, for the audit trail ("system", "manager:7", "user:1001", "feed").</summary>
    public string Actor { get; init; } = "system";

    /// <summary>Stamps sequence and time; used by the runner and by journal replay.</summary>
    public void Stamp(long sequence, long time)
    {
        Sequence = sequence;
        Time = time;
    }
}

/// <summary>A command whose successful result carries a <typeparamref name="TResult"/>.</summary>
public abstract record EngineCommand<TResult> : EngineCommand;

/// <summary>Outcome of a command: a return code, a readable message, and the value on success.</summary>
public readonly record struct CommandResult<T>(ReturnCode Code, string Message, T? Value)
{
    public bool IsOk => Code is ReturnCode.Ok or ReturnCode.OkNone;

    /// <summary>
    /// The engine's sequence once the command was applied (its own when it was journaled, the last one before it
    /// otherwise): a read that must see this command's effect waits until a projection reached it.
    /// </summary>
    public long Sequence { get; init; }
}
