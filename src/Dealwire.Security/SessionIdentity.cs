namespace Dealwire.Security;

/// <summary>Session type (SESSION_*), the <c>__access.type</c> of the Server API.</summary>
public enum SessionType
{
    User = 0,
    Manager = 1,
    Dealer = 2,
    Admin = 3,
    System = 4,
    Fix = 5,
    Customer = 9,
    CrmManager = 10,
    CrmAdmin = 11,
}

/// <summary>
/// Who is calling, as established by a verified token or key: never by anything the client writes in
/// a request's data.
/// </summary>
public sealed record SessionIdentity
{
    public SessionType Type { get; init; }

    /// <summary>Account login for users; manager id for managers, dealers and admins.</summary>
    public long Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary>Groups this identity may see (GroupMask syntax); users see only their own account.</summary>
    public string GroupMask { get; init; } = "*";

    /// <summary>Manager rights (see_accounts, set_trades, …); admins hold every right implicitly.</summary>
    public IReadOnlySet<string> Rights { get; init; } = new HashSet<string>();

    /// <summary>
    /// User tokens: the registration sequence of the account instance the token was issued for (the
    /// engine's <c>AccountProfile.RegistrationSequence</c>). A login deleted and created again gets a new
    /// one, so the old account's tokens stop working.
    /// </summary>
    public long RegistrationSequence { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public bool IsAdmin => Type is SessionType.Admin or SessionType.System;

    public bool IsStaff => Type is SessionType.Manager or SessionType.Dealer or SessionType.Admin or SessionType.System;

    /// <summary>Admins hold every right; managers and dealers hold what their token lists.</summary>
    public bool HasRight(string right) => IsAdmin || Rights.Contains(right);

    private ActorText? _actor;

    /// <summary>
    /// The actor string recorded in the audit trail, e.g. "manager:7" (made once: every command of a connection asks).
    /// The cache remembers what it was made from: <c>with</c> copies fields, so a copy promoted to admin (a console
    /// session after UpdateManager) must not keep the old text.
    /// </summary>
    public string Actor
    {
        get
        {
            var cached = _actor;
            if (cached is not null && cached.Type == Type && cached.Id == Id) return cached.Text;
            var made = new ActorText(Type, Id, $"{Type.ToString().ToLowerInvariant()}:{Id}");
            _actor = made; // one reference: a reader on another thread sees the old whole or the new whole
            return made.Text;
        }
    }

    private sealed record ActorText(SessionType Type, long Id, string Text);

    // Equality over the identity's data only: the cached actor text must not make two equal identities differ.
    public bool Equals(SessionIdentity? other) =>
        other is not null && (ReferenceEquals(this, other) || (Type == other.Type && Id == other.Id && Name == other.Name
            && GroupMask == other.GroupMask && EqualityComparer<IReadOnlySet<string>>.Default.Equals(Rights, other.Rights)
            && RegistrationSequence == other.RegistrationSequence && ExpiresAt == other.ExpiresAt));

    public override int GetHashCode() => HashCode.Combine(Type, Id, Name, GroupMask, Rights, RegistrationSequence, ExpiresAt);
}

/// <summary>
/// Manager rights: the names of the ScaleTrade manager record (§4.13 of the model spec) plus <see cref="Config"/>,
/// which the spec leaves to the <c>admin</c> flag. The Server API's rights matrix says which command needs which.
/// </summary>
public static class Rights
{
    public const string SeeAccounts = "see_accounts";
    public const string SetAccounts = "set_accounts";
    public const string DeleteAccounts = "del_accounts";
    public const string SeeBalance = "see_accounts_balance";
    public const string SetBalance = "set_accounts_balance";
    public const string DeleteBalance = "del_accounts_balance";
    public const string SeeTrades = "see_trades";
    public const string SetTrades = "set_trades";
    public const string DeleteTrades = "del_trades";
    public const string DealerTrades = "dealer_trades";
    public const string MarketWatch = "market_watch";

    /// <summary>Reading the audit log (GetLogs).</summary>
    public const string Logs = "logs";

    /// <summary>Exporting trade tables to files (MngExportTradesByFilter, ExportTradesByLogin).</summary>
    public const string SeeExport = "see_export";

    /// <summary>Sending notifications (MngAddNotify): the spec's internal-mail right.</summary>
    public const string Email = "email_right";

    /// <summary>
    /// Server configuration: symbols, symbol groups and groups. Dealwire's own name: the spec has no such right
    /// (MT-style servers give it to administrators only). It never widens the group mask: a change must also lie
    /// inside the mask of every group it affects.
    /// </summary>
    public const string Config = "config";

    /// <summary>Every right name a token may carry: the rights above plus the spec's rights no command checks yet.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        SeeAccounts, "see_accounts_detail", "see_accounts_online", SetAccounts, DeleteAccounts, SeeBalance, SetBalance,
        DeleteBalance, SeeTrades, SetTrades, DeleteTrades, DealerTrades, Logs, "reports", "server_reports", MarketWatch,
        Email, "plugins", "techsupport", SeeExport, Config,
    };

    /// <summary>What a manager token carries when issued without an explicit list: every right a command checks.</summary>
    public static readonly IReadOnlySet<string> ManagerDefault = new HashSet<string>
    {
        SeeAccounts, SetAccounts, DeleteAccounts, SeeBalance, SetBalance, DeleteBalance,
        SeeTrades, SetTrades, DeleteTrades, DealerTrades, MarketWatch, Email, Config, Logs, SeeExport,
    };
}
