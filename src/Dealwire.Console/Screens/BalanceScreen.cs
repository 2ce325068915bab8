using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.WebConsole.Html;
using Dealwire.WebConsole.Sessions;
using Microsoft.AspNetCore.Http;

namespace Dealwire.WebConsole.Screens;

/// <summary>
/// Balance operations: deposit, withdrawal, credit in/out and correction, entered as an unsigned amount (a correction
/// is signed), shown back for confirmation, then booked as one <see cref="PostLedger"/> with the form's idempotency
/// key: a double-clicked or re-posted confirmation books once.
/// </summary>
internal static class BalanceScreen
{
    private static readonly (string Value, string Label, LedgerKind Kind)[] Operations =
    [
        ("deposit", "Deposit", LedgerKind.Deposit),
        ("withdrawal", "Withdrawal", LedgerKind.Withdrawal),
        ("credit-in", "Credit in", LedgerKind.CreditIn),
        ("credit-out", "Credit out", LedgerKind.CreditOut),
        ("correction", "Balance correction (signed)", LedgerKind.BalanceCorrection),
    ];

    public static string Form(ConsoleSession session, long login)
    {
        var sb = new StringBuilder("<section class=\"card\"><h2>Balance operation</h2><form method=\"post\" action=\"/console/accounts/")
            .Append(Page.E(login)).Append("/balance\" id=\"balance-form\">").Append(Page.Csrf(session))
            .Append("<label>Operation <select name=\"operation\" id=\"operation\">");
        foreach (var (value, label, _) in Operations) sb.Append("<option value=\"").Append(value).Append("\">").Append(Page.E(label)).Append("</option>");
        return sb.Append("</select></label><label>Amount <input name=\"amount\" id=\"amount\" inputmode=\"decimal\" required></label>")
            .Append("<label>Comment <input name=\"comment\" id=\"comment\" maxlength=\"64\"></label>")
            .Append("<label>Idempotency key <input name=\"key\" id=\"key\" maxlength=\"64\" value=\"").Append(NewKey()).Append("\"></label>")
            .Append("<button id=\"balance-review\">Review…</button></form></section>").ToString();
    }

    /// <summary>Step 1: validates the request and shows it back with a confirm button; nothing is booked yet.</summary>
    public static async Task<IResult> ReviewAsync(HttpContext http, long login, ILiveView view)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetBalance)) return Page.Forbidden(session, "set_accounts_balance is required");
        if (AccountsScreen.Visible(session, view, login) is not { } account) return AccountsScreen.NotFound(session, login);
        var request = await ReadAsync(http);
        if (request.Error is { } error) return Back(session, login, error);
        var (op, amount, comment, key) = (request.Operation!.Value, request.Amount, request.Comment, request.Key);
        var newBalance = op.Kind is LedgerKind.CreditIn or LedgerKind.CreditOut ? account.Margin.Balance : account.Margin.Balance + amount;
        var body = new StringBuilder("<section class=\"card confirm\" id=\"balance-confirm\"><h2>Confirm</h2><dl>")
            .Append("<dt>Account</dt><dd>").Append(Page.E(login)).Append(" · ").Append(Page.E(account.Profile.Name)).Append("</dd>")
            .Append("<dt>Operation</dt><dd id=\"confirm-operation\">").Append(Page.E(op.Label)).Append("</dd>")
            .Append("<dt>Amount</dt><dd id=\"confirm-amount\">").Append(Page.Money(amount)).Append(' ').Append(Page.E(account.Margin.Currency)).Append("</dd>")
            .Append("<dt>Balance after</dt><dd>").Append(Page.Money(newBalance)).Append("</dd>")
            .Append("<dt>Comment</dt><dd>").Append(Page.E(comment)).Append("</dd><dt>Idempotency key</dt><dd>").Append(Page.E(key)).Append("</dd></dl>")
            .Append("<form method=\"post\" action=\"/console/accounts/").Append(Page.E(login)).Append("/balance/confirm\">").Append(Page.Csrf(session))
            .Append(Hidden("operation", op.Value)).Append(Hidden("amount", http.Request.Form["amount"].ToString().Trim()))
            .Append(Hidden("comment", comment)).Append(Hidden("key", key))
            .Append("<button id=\"balance-confirm-button\">Confirm and book</button> <a href=\"/console/accounts/").Append(Page.E(login)).Append("\">Cancel</a></form></section>");
        return Page.Render(session, $"Account {login}: {op.Label}", "/console/accounts", body.ToString());
    }

    /// <summary>Step 2: books the operation through the engine (audited with the manager's actor).</summary>
    public static async Task<IResult> BookAsync(HttpContext http, long login, ILiveView view, ConsoleCommands commands)
    {
        var session = ConsoleGuard.Current(http);
        if (!session.Can(Rights.SetBalance)) return Page.Forbidden(session, "set_accounts_balance is required");
        if (AccountsScreen.Visible(session, view, login) is null) return AccountsScreen.NotFound(session, login);
        var request = await ReadAsync(http);
        if (request.Error is { } error) return Back(session, login, error);
        var op = request.Operation!.Value;
        var result = await commands.SubmitAsync(session, new PostLedger(login, op.Kind, request.Amount)
        {
            Comment = request.Comment,
            IdempotencyKey = ConsoleCommands.IdempotencyKey(request.Key),
        }, http.RequestAborted);
        if (result.IsOk && result.Value is { } entry)
        {
            session.Flash = $"{op.Label} of {Page.Money(entry.Amount)} booked (operation {entry.Id})";
        }
        return Results.Redirect($"/console/accounts/{login}");
    }

    private sealed record BalanceRequest((string Value, string Label, LedgerKind Kind)? Operation, decimal Amount, string Comment, string Key, string? Error);

    /// <summary>Amounts are typed unsigned (a correction may carry a sign); the operation gives the ledger sign.</summary>
    private static async Task<BalanceRequest> ReadAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var operation = Operations.Where(o => o.Value == form["operation"]).Select(o => ((string Value, string Label, LedgerKind Kind)?)o).FirstOrDefault();
        var comment = form["comment"].ToString().Trim();
        var key = form["key"].ToString().Trim();
        if (operation is not { } op) return new(null, 0, comment, key, "invalid_operation: choose an operation");
        if (!decimal.TryParse(form["amount"], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var typed)
            || typed == 0 || decimal.Round(typed, 2) != typed)
        {
            return new(op, 0, comment, key, "invalid_amount: a non-zero amount with at most two decimals");
        }
        if (op.Kind != LedgerKind.BalanceCorrection && typed < 0) return new(op, 0, comment, key, "invalid_amount: enter the amount without a sign");
        if (comment.Length > 64) return new(op, 0, comment, key, "invalid_comment: at most 64 characters");
        if (key.Length is 0 or > 64) return new(op, 0, comment, key, "invalid_key: an idempotency key of 1-64 characters is required");
        var amount = op.Kind is LedgerKind.Withdrawal or LedgerKind.CreditOut ? -typed : typed;
        return new(op, amount, comment, key, null);
    }

    private static IResult Back(ConsoleSession session, long login, string error)
    {
        session.Flash = error;
        session.FlashIsError = true;
        return Results.Redirect($"/console/accounts/{login}");
    }

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{Page.E(value)}\">";

    private static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
}
