using System.Text.Json.Serialization;

namespace Dealwire.Security;

/// <summary>
/// A manager (scaletrade-model §4.13): who a staff token or Manager API key belongs to. Its rights, group mask and
/// <see cref="Enable"/> flag are read at every command, so a change applies to tokens, keys and open connections
/// at once. The password is kept only as a PBKDF2 hash and never returned. A deleted manager stays as a tombstone
/// (<see cref="Deleted"/>) so its id is never reused and tokens issued to it stay refused.
/// </summary>
public sealed record ManagerRecord
{
    public long Id { get; init; }
    public bool Enable { get; init; } = true;

    /// <summary>The spec's <c>admin</c> flag: the manager acts as SESSION_ADMIN (every right, admin-only commands).</summary>
    public bool Admin { get; init; }

    /// <summary>
    /// Sticky: true once the manager has been an admin. Admin tokens are bound to a record only when this is set, so the
    /// built-in admin token (id 1, no record) is not captured by a plain manager that happens to get id 1, while the
    /// admin tokens of a manager demoted later follow its record (they become manager tokens).
    /// </summary>
    public bool WasAdmin { get; init; }

    public bool Deleted { get; init; }
    public string Groups { get; init; } = "*";
    public string Name { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Country { get; init; } = "";
    public string City { get; init; } = "";
    public string Address { get; init; } = "";
    public string Position { get; init; } = "";
    public string Messengers { get; init; } = "";
    public string SocialNetworks { get; init; } = "";
    public string Language { get; init; } = "";
    public int SortIndex { get; init; }

    /// <summary>Right names (see <see cref="Security.Rights.Known"/>), sorted.</summary>
    public IReadOnlyList<string> Rights { get; init; } = [];

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }

    /// <summary>A record the CLI or a command may show: enabled and not deleted.</summary>
    [JsonIgnore]
    public bool Active => Enable && !Deleted;
}

/// <summary>One change to the manager records, as the audit log shows it.</summary>
public sealed record ManagerChange(long ManagerId, string Action, string Detail);
