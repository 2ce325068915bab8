using System.Text.Json;

namespace Dealwire.Client;

/// <summary>Notification levels of the <c>"n"</c> record (other numbers may appear; 0 is seen in examples).</summary>
public enum NotificationLevel
{
    /// <summary>10 INFO.</summary>
    Info = 10,

    /// <summary>20 WARNING.</summary>
    Warning = 20,

    /// <summary>30 ERROR.</summary>
    Error = 30,

    /// <summary>40 PROMO.</summary>
    Promo = 40,

    /// <summary>50 MARKETING.</summary>
    Marketing = 50,

    /// <summary>60 NEWS.</summary>
    News = 60,
}

/// <summary>A pushed notification <c>["n",message,description,token,status,level,user_id,create_time,(data),code]</c>.</summary>
public sealed record Notification : IAccountScoped
{
    /// <summary>Short title.</summary>
    public required string Message { get; init; }

    /// <summary>Body text; may hold <c>{placeholders}</c>.</summary>
    public required string Description { get; init; }

    /// <summary>Unique token; repeated tokens are dropped by the client.</summary>
    public required string Token { get; init; }

    /// <summary>0 waiting, 1 sent, 2 read, …</summary>
    public int Status { get; init; }

    /// <summary>Severity or kind.</summary>
    public NotificationLevel Level { get; init; }

    /// <summary>Recipient login (0 = broadcast).</summary>
    public long UserId { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long CreateTime { get; init; }

    /// <summary>Structured data when the record carries it (10-element form), otherwise <c>null</c>.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>Result code (200, 201, 400, 500, …).</summary>
    public int Code { get; init; }

    long IAccountScoped.Login => UserId;
}
