namespace Dealwire.Engine.Model;

/// <summary>
/// One movement of an account's balance or credit. The balance is, by construction, the sum of the
/// account's ledger entries that touch balance; the same for credit.
/// </summary>
public sealed record LedgerEntry
{
    public long Id { get; init; }
    public long Login { get; init; }
    public LedgerKind Kind { get; init; }
    /// <summary>Signed amount in account currency, rounded to the group's currency digits.</summary>
    public decimal Amount { get; init; }
    public decimal BalanceAfter { get; init; }
    public decimal CreditAfter { get; init; }
    /// <summary>The finance operation's own ticket, or the trade it settles.</summary>
    public long Ticket { get; init; }
    public string Comment { get; init; } = "";
    public long Time { get; init; }
    public string? IdempotencyKey { get; init; }
    /// <summary>The caller's external reference of the operation (see <c>PostLedger.Reference</c>), or null.</summary>
    public string? Reference { get; init; }
    public string Actor { get; init; } = "";
    /// <summary>For a reversal: the entry it cancels.</summary>
    public long ReversesId { get; init; }
}

/// <summary>A notification pushed to connected clients ("n" arrays) and managers.</summary>
public sealed record Notification
{
    public required string Token { get; init; }
    /// <summary>Recipient login or manager id; 0 = broadcast.</summary>
    public long UserId { get; init; }
    public string Message { get; init; } = "";
    public string Description { get; init; } = "";
    public NotifyLevel Level { get; init; } = NotifyLevel.Info;
    public int Status { get; init; }
    public int Type { get; init; }
    /// <summary>0 = the recipient (NOTIFY_LEVEL_MANAGER), <see cref="AllManagers"/> = every manager.</summary>
    public int Access { get; init; }
    /// <summary>The spec's NOTIFY_LEVEL_ALL_MANGERS (sic): the note goes to every staff session.</summary>
    public const int AllManagers = 2;
    public int Code { get; init; } = 200;
    public long CreateTime { get; init; }
    public long ExpireTime { get; init; }
    /// <summary>
    /// Structured data as the compact JSON text of one object, kept verbatim so numbers, booleans and nested values
    /// keep their JSON types on the wire; null = no data element.
    /// </summary>
    public string? DataJson { get; init; }
}
