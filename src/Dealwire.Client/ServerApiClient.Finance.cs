using System.Text.Json;
using Dealwire.Client.Protocol;

namespace Dealwire.Client;

/// <summary>
/// Balance and credit operations. Every method takes a POSITIVE amount; withdrawals (<c>BalanceOut</c>,
/// <c>CreditOut</c>) are negated here because the wire wants them negative (scaletrade-tcp §7.5).
/// </summary>
public sealed partial class ServerApiClient
{
    /// <summary><c>BalanceIn</c>: deposit (queued; the record arrives as a trade event).</summary>
    public Task<TradeAck> BalanceInAsync(long login, decimal amount, string? comment = null, CancellationToken cancellationToken = default) =>
        FinanceAsync("BalanceIn", login, Positive(amount), comment, cancellationToken);

    /// <summary><c>BalanceOut</c>: withdrawal of <paramref name="amount"/> (sent as −amount).</summary>
    public Task<TradeAck> BalanceOutAsync(long login, decimal amount, string? comment = null, CancellationToken cancellationToken = default) =>
        FinanceAsync("BalanceOut", login, -Positive(amount), comment, cancellationToken);

    /// <summary><c>CreditIn</c>: grants credit; the comment is required by the protocol.</summary>
    public Task<TradeAck> CreditInAsync(long login, decimal amount, string comment, CancellationToken cancellationToken = default) =>
        FinanceAsync("CreditIn", login, Positive(amount), Required(comment), cancellationToken);

    /// <summary><c>CreditOut</c>: removes credit (sent as −amount); the comment is required.</summary>
    public Task<TradeAck> CreditOutAsync(long login, decimal amount, string comment, CancellationToken cancellationToken = default) =>
        FinanceAsync("CreditOut", login, -Positive(amount), Required(comment), cancellationToken);

    /// <summary><c>BalanceInSync</c>: deposit; returns the booked finance record.</summary>
    public Task<TradeRecord> BalanceInSyncAsync(long login, decimal amount, string? comment = null, CancellationToken cancellationToken = default) =>
        FinanceSyncAsync("BalanceInSync", login, Positive(amount), comment, cancellationToken);

    /// <summary><c>BalanceOutSync</c>: withdrawal (sent as −amount); returns the booked finance record.</summary>
    public Task<TradeRecord> BalanceOutSyncAsync(long login, decimal amount, string? comment = null, CancellationToken cancellationToken = default) =>
        FinanceSyncAsync("BalanceOutSync", login, -Positive(amount), comment, cancellationToken);

    /// <summary><c>CreditInSync</c>: grants credit; returns the booked finance record.</summary>
    public Task<TradeRecord> CreditInSyncAsync(long login, decimal amount, string comment, CancellationToken cancellationToken = default) =>
        FinanceSyncAsync("CreditInSync", login, Positive(amount), Required(comment), cancellationToken);

    /// <summary><c>CreditOutSync</c>: removes credit (sent as −amount); returns the booked finance record.</summary>
    public Task<TradeRecord> CreditOutSyncAsync(long login, decimal amount, string comment, CancellationToken cancellationToken = default) =>
        FinanceSyncAsync("CreditOutSync", login, -Positive(amount), Required(comment), cancellationToken);

    private Task<TradeAck> FinanceAsync(string command, long login, decimal signedAmount, string? comment, CancellationToken cancellationToken) =>
        CallAsync(command, FinanceBody(login, signedAmount, comment), ClientJsonContext.Default.TradeAck, cancellationToken);

    private Task<TradeRecord> FinanceSyncAsync(string command, long login, decimal signedAmount, string? comment, CancellationToken cancellationToken) =>
        CallAsync(command, FinanceBody(login, signedAmount, comment), ClientJsonContext.Default.TradeRecord, cancellationToken);

    private static byte[] FinanceBody(long login, decimal signedAmount, string? comment) =>
        JsonSerializer.SerializeToUtf8Bytes(new FinanceRequest(login, signedAmount, comment), ClientJsonContext.Default.FinanceRequest);

    private static decimal Positive(decimal amount, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(amount))] string? name = null) =>
        amount > 0 ? amount : throw new ArgumentOutOfRangeException(name, amount, "The amount must be positive; withdrawals are negated by the client.");

    private static string Required(string comment) =>
        string.IsNullOrWhiteSpace(comment) ? throw new ArgumentException("Credit operations require a comment.", nameof(comment)) : comment;
}
