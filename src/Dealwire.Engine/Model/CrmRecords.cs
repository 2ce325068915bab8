namespace Dealwire.Engine.Model;

/// <summary>
/// A sales desk of the CRM (scaletrade §7.13): customers are assigned to one. <see cref="Code"/> is what requests name
/// (upper case); a disabled or archived desk takes no new customers.
/// </summary>
public sealed record DeskRecord
{
    public long Id { get; init; }
    public required string Code { get; init; }
    public string Name { get; init; } = "";
    public string Brand { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public bool Archived { get; init; }
    public long UpdateTime { get; init; }
}

/// <summary>
/// A CRM customer (scaletrade-model §4.14): the person or company behind one or more trading accounts, which link to
/// it by <see cref="AccountProfile.CustomerId"/>. The password is a hash computed by the gateway; it never leaves.
/// </summary>
public sealed record CustomerRecord
{
    public long CustomerId { get; init; }
    public string ExternalId { get; init; } = "";
    /// <summary>0 individual, 1 business.</summary>
    public int Type { get; init; }
    /// <summary>0 active, 1 blocked, 2 archived, 3 prospect.</summary>
    public int Status { get; init; }
    public bool Enable { get; init; } = true;
    public bool EnableOtp { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string MiddleName { get; init; } = "";
    public string FullName { get; init; } = "";
    /// <summary>Unix seconds; 0 = not given.</summary>
    public long BirthDate { get; init; }
    public string Citizenship { get; init; } = "";
    public string CountryOfResidence { get; init; } = "";
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string PreferredLanguage { get; init; } = "";
    public string Timezone { get; init; } = "";
    public string Brand { get; init; } = "";
    /// <summary>The desk's code (as requests name it); <see cref="DeskId"/> its id. Empty / 0 = no desk.</summary>
    public string Desk { get; init; } = "";
    public long DeskId { get; init; }
    public long ManagerId { get; init; }
    public long AssignedManagerId { get; init; }
    public string LeadSource { get; init; } = "";
    public string Campaign { get; init; } = "";
    public string AffiliateId { get; init; } = "";
    public string IntroducerId { get; init; } = "";
    public string CrmStage { get; init; } = "";
    public string Segment { get; init; } = "";
    public string TagsJson { get; init; } = "";
    public bool EmailVerified { get; init; }
    public bool PhoneVerified { get; init; }
    public bool MarketingAllowed { get; init; }
    public string TaxId { get; init; } = "";
    public string NationalId { get; init; } = "";
    /// <summary>0 unknown, 1 clear, 2 positive.</summary>
    public int PepStatus { get; init; }
    /// <summary>0 unknown, 1 clear, 2 positive, 3 review.</summary>
    public int SanctionsStatus { get; init; }
    /// <summary>0 low, 1 medium, 2 high.</summary>
    public int RiskLevel { get; init; }
    /// <summary>The spec names these statuses without enumerating them: a broker's own codes, 0 and up.</summary>
    public int AmlStatus { get; init; }
    public int KycStatus { get; init; }
    public int SalesStatus { get; init; }
    public string PasswordHash { get; init; } = "";
    /// <summary>Unix ms, set by the engine.</summary>
    public long CreateTime { get; init; }
    public long UpdateTime { get; init; }
}
