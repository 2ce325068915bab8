using Dealwire.Engine.Model;

namespace Dealwire.Engine.Commands;

/// <summary>Create an account; <see cref="AccountProfile.Login"/> 0 assigns the next login.</summary>
public sealed record CreateAccount(AccountProfile Profile) : EngineCommand<AccountSnapshot>
{
    /// <summary>Deposit booked at creation; null = the group's default deposit.</summary>
    public decimal? InitialDeposit { get; init; }
}

/// <summary>Replace an account's profile (login and registration time are kept).</summary>
public sealed record UpdateAccount(AccountProfile Profile) : EngineCommand<AccountSnapshot>;

/// <summary>Delete an account with no open positions; its pending orders are cancelled.</summary>
public sealed record DeleteAccount(long Login) : EngineCommand<AccountSnapshot>;

/// <summary>
/// Book a balance or credit movement. <see cref="Amount"/> is signed: deposits and credit-in are
/// positive, withdrawals and credit-out negative, corrections either. A repeated
/// <see cref="IdempotencyKey"/> (same caller, same request) returns the first entry without booking again.
/// </summary>
public sealed record PostLedger(long Login, LedgerKind Kind, decimal Amount) : EngineCommand<LedgerEntry>, IIdempotentCommand
{
    public string Comment { get; init; } = "";
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>); also kept on the ledger entry.</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>The caller's own reference of the operation (a payment id, a Manager API reference_transaction_id), kept on the entry.</summary>
    public string? Reference { get; init; }
    /// <summary>Skip the free-margin check of withdrawals (manager correction).</summary>
    public bool Force { get; init; }
}

/// <summary>Cancel a finance operation by its ticket with a reversing entry.</summary>
public sealed record ReverseLedger(long Ticket) : EngineCommand<LedgerEntry>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public string Comment { get; init; } = "";

    /// <summary>
    /// The operation's ledger entry as the gateway read it from the history store (the engine keeps no ledger).
    /// Journaled with the command, so a replay reverses exactly what the live engine did. Not part of the
    /// request (a retry may carry a later read of the same entry).
    /// </summary>
    public LedgerEntry? Entry { get; init; }
}

/// <summary>
/// Correct the amount of a booked finance operation (a deposit entered as 1 000 instead of 100): books one entry of
/// the difference under the operation's ticket, so balance = Σ ledger still holds and the history shows both, and the
/// operation's record shows the new amount. The amount keeps the operation's sign (a withdrawal stays negative).
/// </summary>
public sealed record AmendLedger(long Ticket, decimal Amount) : EngineCommand<LedgerEntry>, IIdempotentCommand
{
    /// <summary>Caller-scoped idempotency key (see <see cref="IIdempotentCommand"/>).</summary>
    public string? IdempotencyKey { get; init; }
    public string Comment { get; init; } = "";

    /// <summary>The operation's first ledger entry, as the gateway read it from the history store (see <see cref="ReverseLedger.Entry"/>).</summary>
    public LedgerEntry? Entry { get; init; }
}

/// <summary>Push a notification to an account (or broadcast with login 0).</summary>
public sealed record AddNotification(Notification Notification) : EngineCommand<Notification>;
