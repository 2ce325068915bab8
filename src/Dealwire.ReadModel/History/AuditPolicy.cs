using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;

namespace Dealwire.ReadModel.History;

/// <summary>
/// Which commands are manager/admin actions and how they are written to the audit log. Traders' own orders
/// (<c>user:</c>) and machine input (feed ticks, the clock, the system's first start) are not audited: the
/// deals and ledger already record them.
/// </summary>
internal static class AuditPolicy
{
    /// <summary>The journal's JSON form of a command (polymorphic, <c>$c</c> discriminator), exact decimals.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private static readonly Dictionary<Type, string> Names = typeof(EngineCommand)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => a.TypeDiscriminator?.ToString() ?? a.DerivedType.Name);

    public static bool IsAudited(EngineCommand c) =>
        c is not (ApplyTick or AdvanceTime)
        && !c.Actor.StartsWith("user:", StringComparison.Ordinal)
        && c.Actor is not ("feed" or AdvanceTime.ClockActor or "system" or "");

    /// <summary>The journal discriminator ("ledger.post", "account.update", …).</summary>
    public static string CommandName(EngineCommand c) => Names.GetValueOrDefault(c.GetType(), c.GetType().Name);

    /// <summary>The command as the audit log shows it: its journal JSON, a customer's password hash blanked.</summary>
    public static string CommandJson(EngineCommand c) => c switch
    {
        AddCustomer add => JsonSerializer.Serialize<EngineCommand>(add with { Customer = add.Customer with { PasswordHash = "" } }, Json),
        _ => JsonSerializer.Serialize(c, Json),
    };

    /// <summary>The records the command's events carry (its "after" image), as a JSON array; null when it changed nothing.</summary>
    public static string? After(long sequence, IReadOnlyList<EngineEvent> events)
    {
        List<object>? after = null;
        foreach (var e in events)
        {
            if (e.Sequence != sequence) continue;
            object? record = e switch
            {
                TradeEvent t => t.Trade,
                AccountEvent a => a.Account.Profile,
                BalanceEvent b => b.Entry,
                SymbolEvent s => s.Symbol,
                SymbolGroupEvent g => g.SymbolGroup,
                GroupEvent g => g.Group,
                NotificationEvent n => n.Notification,
                DeskEvent d => d.Desk,
                CustomerEvent c => c.Customer with { PasswordHash = "" },
                ServerConfigEvent s => s.Config,
                _ => null,
            };
            if (record is not null) (after ??= new()).Add(record);
        }
        return after is null ? null : JsonSerializer.Serialize(after, Json);
    }
}
