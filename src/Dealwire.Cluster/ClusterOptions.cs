namespace Dealwire.Cluster;

/// <summary>What this process is in a cluster: a replica (votes, and serves clients when it leads) or a gateway.</summary>
public enum ClusterRole
{
    Replica,
    Gateway,
}

/// <summary>One voting replica of <c>Cluster:Members</c>: <c>id@host:port</c>, the port being its replication endpoint.</summary>
public sealed record ClusterMember(string Id, string Host, int Port)
{
    public override string ToString() => $"{Id}@{Host}:{Port}";
}

/// <summary>
/// The <c>Cluster</c> section. Without <c>Cluster:Members</c> the server runs alone, exactly as before: the
/// single-node mode is the default and replication adds nothing to it.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary><c>Cluster:NodeId</c>: this process's id; a replica's id must appear in <see cref="Members"/>.</summary>
    public string? NodeId { get; set; }

    /// <summary><c>Cluster:Members</c>: the voting replicas, comma-separated <c>id@host:port</c>.</summary>
    public string? Members { get; set; }

    /// <summary><c>Cluster:Role</c>: <c>replica</c> (default) or <c>gateway</c>.</summary>
    public ClusterRole Role { get; set; } = ClusterRole.Replica;

    /// <summary>
    /// <c>Cluster:ListenEndpoint</c>: <c>host:port</c> the replication listener binds when it differs from this member's
    /// address in <see cref="Members"/> (port mapping in a container, NAT, or a proxy in front of the node, as the fault
    /// harness puts there). Empty: bind the member's own address.
    /// </summary>
    public string? ListenEndpoint { get; set; }

    /// <summary>
    /// <c>Cluster:GatewayEndpoint</c> (a replica): <c>host:port</c> where it serves gateway nodes — its committed stream,
    /// and their clients' commands while it leads. Empty: no gateway can follow this replica.
    /// </summary>
    public string? GatewayEndpoint { get; set; }

    /// <summary>
    /// <c>Cluster:Upstreams</c> (a gateway): the replicas' gateway endpoints, comma-separated <c>id@host:port</c> with the
    /// ids of <see cref="Members"/>. The gateway follows any one of them and sends commands to the one that leads.
    /// </summary>
    public string? Upstreams { get; set; }

    /// <summary>
    /// <c>Cluster:GatewayKey</c>: a shared secret a gateway presents when it opens a link and a replica requires (both
    /// sides the same value). The link can submit any command, so outside a closed network it must be set.
    /// </summary>
    public string? GatewayKey { get; set; }

    /// <summary>
    /// <c>Cluster:ElectionTimeoutMinMs</c> / <c>MaxMs</c>: a follower that hears nothing from the leader for a random time
    /// in this range starts a (pre-)vote. 1000-2000 ms: ten times a long gen-2 GC pause on a trading heap, so a pause
    /// does not depose a healthy leader; failover then takes about that long (docs/replication.md).
    /// </summary>
    public int ElectionTimeoutMinMs { get; set; } = 1000;

    public int ElectionTimeoutMaxMs { get; set; } = 2000;

    /// <summary><c>Cluster:HeartbeatThreshold</c>: the leader's heartbeat period as a fraction of the lower election timeout (0.3 = every 300 ms).</summary>
    public double HeartbeatThreshold { get; set; } = 0.3;

    /// <summary>
    /// <c>Cluster:CheckpointInterval</c>: how often the leader puts a state checkpoint into the log (every replica hashes
    /// its state there and compares with the leader's; docs/replication.md "Divergence check"). A hash walks the whole
    /// state on the engine thread (milliseconds at 10 000 accounts), so minutes, not seconds.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A replica set's member (or a gateway following one): the process is part of a cluster.</summary>
    public bool IsClustered => !string.IsNullOrWhiteSpace(Members) || Role == ClusterRole.Gateway;

    /// <summary>
    /// A replica with <see cref="GatewayEndpoint"/>: it serves gateway nodes, which subscribe to its committed stream from a
    /// recent sequence when they reconnect (so its stream keeps a read tail for them).
    /// </summary>
    public bool ServesGateways => IsClustered && Role != ClusterRole.Gateway && GatewayEndpoint is not null;

    /// <summary>The parsed members; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public IReadOnlyList<ClusterMember> ParseMembers() => ParseNodeList(Members, "Cluster:Members");

    /// <summary>The parsed <see cref="Upstreams"/> (a gateway's replicas).</summary>
    public IReadOnlyList<ClusterMember> ParseUpstreams() => ParseNodeList(Upstreams, "Cluster:Upstreams");

    private static List<ClusterMember> ParseNodeList(string? list, string key)
    {
        if (string.IsNullOrWhiteSpace(list)) return [];
        var members = new List<ClusterMember>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = raw.IndexOf('@');
            if (at <= 0 || TryParseHostPort(raw[(at + 1)..]) is not var (host, port))
            {
                throw new FormatException($"{key} entry '{raw}' is not id@host:port");
            }
            members.Add(new ClusterMember(raw[..at], host, port));
        }
        var duplicate = members.GroupBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FormatException($"{key} names node '{duplicate.Key}' twice");
        return members;
    }

    /// <summary>The parsed <see cref="ListenEndpoint"/> as (host, port); null when not set.</summary>
    public (string Host, int Port)? ParseListenEndpoint() => ParseEndpoint(ListenEndpoint, "Cluster:ListenEndpoint");

    /// <summary>The parsed <see cref="GatewayEndpoint"/> as (host, port); null when not set.</summary>
    public (string Host, int Port)? ParseGatewayEndpoint() => ParseEndpoint(GatewayEndpoint, "Cluster:GatewayEndpoint");

    private static (string Host, int Port)? ParseEndpoint(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var raw = value.Trim();
        return TryParseHostPort(raw) ?? throw new FormatException($"{key} '{raw}' is not host:port");
    }

    /// <summary><c>host:port</c> (the last colon splits, the port 1–65535); null when it is not that.</summary>
    private static (string Host, int Port)? TryParseHostPort(string raw)
    {
        var colon = raw.LastIndexOf(':');
        return colon > 0 && int.TryParse(raw.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535 ? (raw[..colon], port) : null;
    }

    /// <summary>Checks the section as a whole before the server starts; the message says what to fix.</summary>
    public void Validate()
    {
        if (!IsClustered) return;
        if (Role == ClusterRole.Gateway)
        {
            if (ParseUpstreams().Count == 0) throw new FormatException("Cluster:Role gateway needs Cluster:Upstreams (the replicas' gateway endpoints, id@host:port)");
            if (string.IsNullOrWhiteSpace(NodeId)) throw new FormatException("Cluster:NodeId is required for a gateway");
            if (ParseMembers().Any(m => m.Id == NodeId)) throw new FormatException($"gateway '{NodeId}' must not be a voting member of Cluster:Members");
            return;
        }
        var members = ParseMembers();
        if (ElectionTimeoutMinMs < 50 || ElectionTimeoutMaxMs <= ElectionTimeoutMinMs)
        {
            throw new FormatException($"Cluster:ElectionTimeoutMinMs ({ElectionTimeoutMinMs}) must be at least 50 and below Cluster:ElectionTimeoutMaxMs ({ElectionTimeoutMaxMs})");
        }
        if (HeartbeatThreshold is <= 0 or >= 1) throw new FormatException($"Cluster:HeartbeatThreshold ({HeartbeatThreshold}) must be between 0 and 1");
        if (CheckpointInterval <= TimeSpan.Zero) throw new FormatException($"Cluster:CheckpointInterval ({CheckpointInterval}) must be positive");
        _ = ParseListenEndpoint();
        _ = ParseGatewayEndpoint();
        if (string.IsNullOrWhiteSpace(NodeId)) throw new FormatException("Cluster:NodeId is required when Cluster:Members is set");
        if (members.All(m => m.Id != NodeId)) throw new FormatException($"Cluster:NodeId '{NodeId}' is not one of Cluster:Members");
    }
}
