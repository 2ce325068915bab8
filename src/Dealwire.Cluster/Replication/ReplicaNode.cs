using System.Net;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace Dealwire.Cluster.Replication;

/// <summary>
/// One voting replica: DotNext's Raft over TCP on this member's <c>Cluster:Members</c> port, its log in
/// <c>&lt;data&gt;/raft</c>, the engine as the state machine. Publishes its Server API endpoint as member metadata
/// so a follower can tell a client where the leader is.
/// </summary>
public sealed class ReplicaNode : IAsyncDisposable
{
    internal const string ServerApiKey = "server-api";

    private readonly ClusterOptions _options;
    private readonly ClusterMember _self;
    private readonly IReadOnlyList<ClusterMember> _members;
    private readonly ReplicatedJournal _journal;
    private readonly EngineStateMachine _stateMachine;
    private readonly WriteAheadLog _log;
    private readonly RaftCluster _raft;
    private readonly ILogger _logger;
    private readonly string _serverApiEndpoint;
    private volatile string? _leaderId;

    public ReplicaNode(ClusterOptions options, string dataDirectory, ICommandJournal localJournal, JournalWriter localWriter,
        string serverApiEndpoint, ILoggerFactory loggers)
    {
        _options = options;
        _members = options.ParseMembers();
        _self = _members.Single(m => m.Id == options.NodeId);
        _serverApiEndpoint = serverApiEndpoint;
        _logger = loggers.CreateLogger("Dealwire.Cluster");
        _journal = new ReplicatedJournal(localJournal, localWriter, _logger);
        _stateMachine = new EngineStateMachine(_journal, localWriter);
        var logDirectory = Path.Combine(dataDirectory, "raft");
        Directory.CreateDirectory(logDirectory);
        _log = new WriteAheadLog(new WriteAheadLog.Options { Location = logDirectory }, _stateMachine);

        // The member's address is what the others dial and how they know it; the listener may bind elsewhere.
        var listen = options.ParseListenEndpoint() is { } bind ? EndPointOf(bind.Host, bind.Port) : EndPointOf(_self);
        var config = new RaftCluster.TcpConfiguration(listen)
        {
            PublicEndPoint = EndPointOf(_self),
            ConfigurationStorage = null, // null: DotNext creates an in-memory membership store, filled below
            LowerElectionTimeout = options.ElectionTimeoutMinMs,
            UpperElectionTimeout = options.ElectionTimeoutMaxMs,
            HeartbeatThreshold = options.HeartbeatThreshold,
            RequestTimeout = TimeSpan.FromMilliseconds(options.ElectionTimeoutMaxMs),
            ColdStart = false,
            LoggerFactory = loggers,
        };
        config.Metadata[ServerApiKey] = serverApiEndpoint;
        // The same voters on every replica, from configuration: no membership changes at run time.
        if (config.ConfigurationStorage is not InMemoryClusterConfigurationStorage<EndPoint> storage)
        {
            throw new InvalidOperationException("DotNext did not create its in-memory membership store.");
        }
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var member in _members) builder.Add(EndPointOf(member));
        builder.Build();
        _raft = new RaftCluster(config) { AuditTrail = _log };
        _raft.LeaderChanged += OnLeaderChanged;
        Status = new ReplicaStatus(this);
    }

    /// <summary>What <c>/health</c> reports for this replica.</summary>
    public ReplicaStatus Status { get; }

    /// <summary>The engine's journal on a replica: proposes to Raft, and refuses commands while this node does not lead.</summary>
    public ICommandJournal Journal => _journal;

    public ICommandGate Gate => _journal;

    public string NodeId => _self.Id;

    public string? LeaderId => _leaderId;

    public bool IsLeader => _journal.Accepting;

    public long Term => _raft.Term;

    /// <summary>The term this node accepts commands in while it leads; 0 otherwise.</summary>
    public long AcceptingTerm => _journal.AcceptingTerm;

    public long CommittedIndex => _log.LastCommittedEntryIndex;

    public long AppliedIndex => _stateMachine.AppliedIndex;

    /// <summary>True once a proposal failed after the engine applied it (the replica must stop).</summary>
    public bool HasFaulted => _journal.HasFaulted;

    /// <summary>Raised when the replica must stop (a proposal failed after the engine applied it).</summary>
    public event Action<Exception>? Faulted
    {
        add => _journal.Faulted += value;
        remove => _journal.Faulted -= value;
    }

    /// <summary>Attach the running engine, then join the cluster; committed entries start flowing into the engine.</summary>
    public async Task StartAsync(EngineRunner runner, CancellationToken cancellationToken)
    {
        _stateMachine.Attach(runner);
        _journal.Start(new RaftConsensusLog(_raft), () => _stateMachine.AppliedIndex);
        await _raft.StartAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Replica {Node} joined cluster {Members} (election timeout {Min}-{Max} ms, Server API {Endpoint})",
            _self.Id, _options.Members, _options.ElectionTimeoutMinMs, _options.ElectionTimeoutMaxMs, _serverApiEndpoint);
    }

    private void OnLeaderChanged(ICluster cluster, IClusterMember? leader)
    {
        var member = leader is null ? null : Find(leader.EndPoint);
        _leaderId = member?.Id;
        if (leader is null)
        {
            _journal.OnLeadershipLost("no leader is elected yet; retry shortly");
            return;
        }
        if (!leader.IsRemote)
        {
            _logger.LogInformation("Replica {Node} is the leader", _self.Id);
            _journal.OnLeadershipGained(_raft.Term);
            return;
        }
        var name = member?.Id ?? leader.EndPoint.ToString() ?? "unknown";
        _journal.OnLeadershipLost($"leader is {name}");
        _ = DescribeLeaderAsync(leader, name);
    }

    /// <summary>The refusal names the leader's Server API endpoint, which the leader publishes in its metadata.</summary>
    private async Task DescribeLeaderAsync(IClusterMember leader, string name)
    {
        try
        {
            var metadata = await leader.GetMetadataAsync(refresh: false).ConfigureAwait(false);
            if (metadata.TryGetValue(ServerApiKey, out var endpoint) && _leaderId == name) _journal.SetRefusal($"leader is {name} at {endpoint}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug(ex, "Could not read the metadata of leader {Leader}", name);
        }
    }

    private ClusterMember? Find(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => _members.FirstOrDefault(m => m.Port == ip.Port && EndPointOf(m).Address.Equals(ip.Address)),
        _ => null,
    };

    private static IPEndPoint EndPointOf(ClusterMember member) => EndPointOf(member.Host, member.Port);

    private static IPEndPoint EndPointOf(string host, int port) =>
        new(IPAddress.TryParse(host, out var address) ? address : Dns.GetHostAddresses(host)[0], port);

    public async ValueTask DisposeAsync()
    {
        _raft.LeaderChanged -= OnLeaderChanged;
        await _journal.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _raft.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _raft.Dispose();
            await _log.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary><c>/health</c>'s view of a replica: leader only once it accepts commands in its term.</summary>
public sealed class ReplicaStatus(ReplicaNode node) : NodeStatus
{
    public override string Role => node.IsLeader ? "leader" : "follower";

    public override string? NodeId => node.NodeId;

    public override string? LeaderId => node.LeaderId;

    /// <summary>While leading: the term it accepts commands in (fixed for that leadership); otherwise Raft's current term.</summary>
    public override long Term => node.AcceptingTerm is > 0 and var accepting ? accepting : node.Term;
}
