using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dealwire.Client;

/// <summary>Request of <c>MngAddAccount</c>: a new trading account.</summary>
public sealed record NewAccount
{
    /// <summary>Trading group.</summary>
    public required string Group { get; init; }
    /// <summary>Full name.</summary>
    public required string Name { get; init; }
    /// <summary>Main password.</summary>
    public required string Password { get; init; }
    /// <summary>E-mail.</summary>
    public required string Email { get; init; }
    /// <summary>Leverage 1–10000. Default 100.</summary>
    public int Leverage { get; init; } = 100;
    /// <summary>Whether the account may log in. Default true.</summary>
    [JsonConverter(typeof(IntBoolConverter))] public bool Enable { get; init; } = true;
    /// <summary>Explicit login; <c>null</c> = assigned by the server.</summary>
    public long? Login { get; init; }
    /// <summary>Read-only account (cannot trade).</summary>
    [JsonConverter(typeof(IntBoolConverter))] public bool EnableReadOnly { get; init; }
    /// <summary>Comment.</summary>
    public string? Comment { get; init; }
    /// <summary>Country.</summary>
    public string? Country { get; init; }
    /// <summary>City.</summary>
    public string? City { get; init; }
    /// <summary>Address.</summary>
    public string? Address { get; init; }
    /// <summary>Phone.</summary>
    public string? Phone { get; init; }
    /// <summary>External/document id (<c>id</c> on the wire).</summary>
    [JsonPropertyName("id")] public string? ExternalId { get; init; }
    /// <summary>Acquisition source.</summary>
    public string? LeadSource { get; init; }
}

/// <summary>Request of <c>MngUpdateAccount</c>.</summary>
public sealed record AccountUpdate
{
    /// <summary>Account to change.</summary>
    public required long Login { get; init; }
    /// <summary>Trading group.</summary>
    public required string Group { get; init; }
    /// <summary>Full name.</summary>
    public required string Name { get; init; }
    /// <summary>E-mail.</summary>
    public required string Email { get; init; }
    /// <summary>Leverage.</summary>
    public required int Leverage { get; init; }
    /// <summary>Whether the account may log in.</summary>
    [JsonConverter(typeof(IntBoolConverter))] public required bool Enable { get; init; }
    /// <summary>Read-only account; <c>null</c> = unchanged.</summary>
    public int? EnableReadOnly { get; init; }
    /// <summary>Comment.</summary>
    public string? Comment { get; init; }
    /// <summary>Country.</summary>
    public string? Country { get; init; }
    /// <summary>City.</summary>
    public string? City { get; init; }
    /// <summary>Address.</summary>
    public string? Address { get; init; }
    /// <summary>Phone.</summary>
    public string? Phone { get; init; }
}

/// <summary>Reply of <c>MngAddAccount</c> / <c>MngUpdateAccount</c>.</summary>
public sealed record AccountResult : IAccountScoped
{
    /// <summary>Account login.</summary>
    public long Login { get; init; }
    /// <summary>Leverage.</summary>
    public int Leverage { get; init; }
    /// <summary>Deposit currency (the group's).</summary>
    public string Currency { get; init; } = "";
    /// <summary>Fields this type does not name (<c>brand</c>, <c>update_time</c>, …).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An account profile with its money figures (<c>GetAccountByLogin</c>, <c>GetAccountsByGroup</c> rows, <c>user:event</c>).</summary>
public sealed record AccountInfo : IAccountScoped
{
    /// <summary>Login.</summary>
    public long Login { get; init; }
    /// <summary>Trading group.</summary>
    public string Group { get; init; } = "";
    /// <summary>Full name.</summary>
    public string Name { get; init; } = "";
    /// <summary>E-mail.</summary>
    public string Email { get; init; } = "";
    /// <summary>Leverage.</summary>
    public int Leverage { get; init; }
    /// <summary>Whether the account may log in.</summary>
    [JsonConverter(typeof(IntBoolConverter))] public bool Enable { get; init; }
    /// <summary>Read-only account.</summary>
    [JsonConverter(typeof(IntBoolConverter))] public bool EnableReadOnly { get; init; }
    /// <summary>Deposit currency.</summary>
    public string Currency { get; init; } = "";
    /// <summary>Balance.</summary>
    public decimal Balance { get; init; }
    /// <summary>Credit.</summary>
    public decimal Credit { get; init; }
    /// <summary>Equity.</summary>
    public decimal Equity { get; init; }
    /// <summary>Used margin.</summary>
    public decimal Margin { get; init; }
    /// <summary>Free margin.</summary>
    public decimal MarginFree { get; init; }
    /// <summary>Margin level.</summary>
    public decimal MarginLevel { get; init; }
    /// <summary>Country.</summary>
    public string Country { get; init; } = "";
    /// <summary>City.</summary>
    public string City { get; init; } = "";
    /// <summary>Phone.</summary>
    public string Phone { get; init; } = "";
    /// <summary>Comment.</summary>
    public string Comment { get; init; } = "";
    /// <summary>Registration time, Unix seconds.</summary>
    public long Regdate { get; init; }
    /// <summary>Fields this type does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An account's money figures (<c>GetUserBalanceList</c> rows, <c>balance:event</c> data).</summary>
public sealed record AccountMargin : IAccountScoped
{
    /// <summary>Login.</summary>
    public long Login { get; init; }
    /// <summary>Balance.</summary>
    public decimal Balance { get; init; }
    /// <summary>Credit.</summary>
    public decimal Credit { get; init; }
    /// <summary>Floating profit.</summary>
    public decimal Profit { get; init; }
    /// <summary>Commission of open positions.</summary>
    public decimal Commission { get; init; }
    /// <summary>Swap of open positions (<c>storage</c> on the wire).</summary>
    [JsonPropertyName("storage")] public decimal Swap { get; init; }
    /// <summary>Used margin.</summary>
    public decimal Margin { get; init; }
    /// <summary>Free margin.</summary>
    public decimal MarginFree { get; init; }
    /// <summary>Margin level.</summary>
    public decimal MarginLevel { get; init; }
    /// <summary>Equity.</summary>
    public decimal Equity { get; init; }
    /// <summary>0 normal, 1 margin call, 2 stop-out.</summary>
    public int LevelType { get; init; }
    /// <summary>Fields this type does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
