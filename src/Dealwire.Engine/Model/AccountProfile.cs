namespace Dealwire.Engine.Model;

/// <summary>The descriptive part of an account: who it is and how it may trade. Money lives apart.</summary>
public sealed record AccountProfile
{
    /// <summary>0 on creation = assign the next free login.</summary>
    public long Login { get; init; }
    public required string Group { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Country { get; init; } = "";
    public string City { get; init; } = "";
    public string State { get; init; } = "";
    public string ZipCode { get; init; } = "";
    public string Address { get; init; } = "";
    public string Comment { get; init; } = "";
    /// <summary>External or document id (the wire's <c>id</c>).</summary>
    public string ExternalId { get; init; } = "";
    public string LeadSource { get; init; } = "";
    public string Status { get; init; } = "";
    public string UserColor { get; init; } = "#ffffff";
    public string ApiData { get; init; } = "";
    /// <summary>0 = the group's default leverage.</summary>
    public int Leverage { get; init; }
    public bool Enabled { get; init; } = true;
    public bool ReadOnly { get; init; }
    public bool ChangePasswordAllowed { get; init; } = true;
    public bool SendReports { get; init; }
    public bool OtpEnabled { get; init; }
    public long AgentAccount { get; init; }
    public long Magic { get; init; }
    public long CustomerId { get; init; }
    /// <summary>Password hash computed by the gateway (the engine never sees clear text).</summary>
    public string PasswordHash { get; init; } = "";
    public string InvestorPasswordHash { get; init; } = "";
    /// <summary>Unix ms; set by the engine on creation.</summary>
    public long RegistrationTime { get; init; }
    /// <summary>Unix ms of the last change of the profile.</summary>
    public long UpdateTime { get; init; }

    /// <summary>
    /// Sequence of the command that created this account; set by the engine, kept by updates. A login
    /// deleted and created again gets a new one, which is how user tokens bind to one account instance.
    /// 0 = created before the field existed (left out of JSON, so older snapshots hash as before).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public long RegistrationSequence { get; init; }
}

/// <summary>An account's money and risk figures at one moment.</summary>
public sealed record MarginSnapshot
{
    public long Login { get; init; }
    public string Group { get; init; } = "";
    public string Currency { get; init; } = "USD";
    public int Leverage { get; init; }
    public decimal Balance { get; init; }
    public decimal Credit { get; init; }
    /// <summary>Balance when the previous trading day ended (at the rollover); 0 for an account created since.</summary>
    public decimal PreviousDayBalance { get; init; }
    /// <summary>Balance when the previous month ended (at the rollover closing its last day); 0 for an account created since.</summary>
    public decimal PreviousMonthBalance { get; init; }
    /// <summary>Balance + credit + floating profit (including floating swap).</summary>
    public decimal Equity { get; init; }
    /// <summary>Floating profit of open positions, swap excluded.</summary>
    public decimal Profit { get; init; }
    /// <summary>Accumulated swap of open positions.</summary>
    public decimal Swap { get; init; }
    /// <summary>Commission booked on open positions.</summary>
    public decimal Commission { get; init; }
    public decimal Margin { get; init; }
    public decimal FreeMargin { get; init; }
    /// <summary>Equity / margin × 100; 0 when no margin is used.</summary>
    public decimal MarginLevel { get; init; }
    public MarginLevelType LevelType { get; init; }
    public MarginLevelUnit LevelUnit { get; init; }
    /// <summary>Time of the account's latest ledger entry (its last balance or credit change); 0 when it has none.</summary>
    public long BalanceTime { get; init; }
}

/// <summary>Profile plus money of one account.</summary>
public sealed record AccountSnapshot(AccountProfile Profile, MarginSnapshot Margin);
