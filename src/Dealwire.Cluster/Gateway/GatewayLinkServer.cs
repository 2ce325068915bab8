using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Dealwire.Cluster.Replication;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using Dealwire.Persistence.Recovery;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Cluster.Gateway;

/// <summary>
/// A replica's side of the gateway link, on <c>Cluster:GatewayEndpoint</c>. A gateway node follows this replica's
/// committed stream (every batch after the sequence it asks for: regenerated from the journal while it is behind the
/// stream's window, then live) and, while this replica leads, forwards its clients' commands here; they enter the
/// engine exactly as a local client's would (the gate refuses them with <see cref="ReturnCode.NotLeader"/> on a follower,
/// and the reply names the leader). Only committed batches ever leave: the stream publishes what the local journal made
/// durable, and a replica journals only what the cluster committed.
/// </summary>
public sealed class GatewayLinkServer(ReplicaNode node, EngineRunner runner, ICommittedStream stream, ClusterOptions options, string dataDirectory,
    ILogger<GatewayLinkServer> logger) : BackgroundService
{
    /// <summary>How often a following gateway hears this replica's position and leader.</summary>
    internal static readonly TimeSpan StatusPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a lagging replica looks whether it has published as far as a gateway that follows it already holds.</summary>
    private static readonly TimeSpan CatchUpPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Each committed batch's frame, encoded once however many gateways follow (they all receive the same batch object);
    /// dropped with the batch.
    /// </summary>
    private readonly ConditionalWeakTable<CommittedBatch, byte[]> _batchFrames = new();

    /// <summary>Gateways connected now (metrics, tests).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    private TcpListener? _listener;

    /// <summary>
    /// Binds before the host reports started: since .NET 10 a background service's <c>ExecuteAsync</c> runs wholly off
    /// the start, so a port taken there would stop the host later instead of failing the start (exit code 3).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var (host, port) = options.ParseGatewayEndpoint()!.Value;
        var listener = new TcpListener(IPAddress.TryParse(host, out var address) ? address : (await Dns.GetHostAddressesAsync(host, cancellationToken))[0], port);
        listener.Start();
        _listener = listener;
        logger.LogInformation("Gateway link listening on {Host}:{Port}", host, port);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        var sessions = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(ServeAsync(new LinkConnection(client), stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(sessions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ServeAsync(LinkConnection link, CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref _connections);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task<IDisposable>? following = null;
        Task status = Task.CompletedTask;
        var pending = new List<Task>();
        try
        {
            await using (link)
            {
                if (await link.ReadAsync(session.Token).ConfigureAwait(false) is not (LinkKind.Hello, var hello) || !KeyMatches(hello))
                {
                    logger.LogWarning("Gateway link from {Remote} refused: no Hello with the right Cluster:GatewayKey", link.Remote);
                    await link.WriteRefusedAsync("Cluster:GatewayKey does not match", session.Token).ConfigureAwait(false);
                    return;
                }
                await link.WriteAsync(LinkKind.Welcome, w => w.Write(node.NodeId), session.Token).ConfigureAwait(false);
                while (await link.ReadAsync(session.Token).ConfigureAwait(false) is var (kind, body))
                {
                    switch (kind)
                    {
                        case LinkKind.Follow when following is null:
                            var after = LinkConnection.Reader(body).ReadInt64();
                            if (after < stream.PublishedSequence && JournalReplayer.WhyCannotReplayAfter(dataDirectory, after) is { } why)
                            {
                                // Retention retired what this gateway lacks: say so rather than leave it waiting on a stream that cannot start.
                                logger.LogWarning("Gateway at {Remote} asked for the stream after sequence {After}: {Reason}", link.Remote, after, why);
                                await link.WriteRefusedAsync($"cannot serve the committed stream after sequence {after}: {why}", session.Token).ConfigureAwait(false);
                                return;
                            }
                            logger.LogInformation("Gateway at {Remote} follows the committed stream after sequence {After}", link.Remote, after);
                            following = SubscribeOncePublishedAsync(link, after, session);
                            status = SendStatusAsync(link, session.Token);
                            break;
                        case LinkKind.Forward:
                            pending.RemoveAll(t => t.IsCompleted);
                            pending.Add(ApplyAsync(link, body, session.Token));
                            break;
                        default:
                            throw new InvalidDataException($"Unexpected gateway link frame {kind}.");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            if (!stoppingToken.IsCancellationRequested) logger.LogInformation("Gateway link from {Remote} ended: {Reason}", link.Remote, ex.Message);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing else may end a link without a word: the gateway only sees the socket close.
            logger.LogWarning(ex, "Gateway link from {Remote} failed", link.Remote);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            if (following is not null)
            {
                await ((Task)following).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (following.IsCompletedSuccessfully) following.Result.Dispose();
            }
            await status.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>
    /// Subscribes the gateway to the stream after <paramref name="after"/>. A gateway can know more of the log than this
    /// replica has published: it followed the leader, and this follower lags behind it. The stream then starts once this
    /// replica has published that far (its status frames say where it stands meanwhile, and the gateway's own watchdog
    /// moves on if it never does). A subscription that cannot start ends the link, with the reason in the log.
    /// </summary>
    private async Task<IDisposable> SubscribeOncePublishedAsync(LinkConnection link, long after, CancellationTokenSource session)
    {
        try
        {
            if (stream.PublishedSequence < after)
            {
                logger.LogInformation("Gateway at {Remote} holds the log up to sequence {After}, past this replica's {Published}: its stream starts once this replica has published that far",
                    link.Remote, after, stream.PublishedSequence);
                while (stream.PublishedSequence < after) await Task.Delay(CatchUpPoll, session.Token).ConfigureAwait(false);
            }
            return stream.Subscribe($"gateway {link.Remote}", after, new BatchSender(this, link, session));
        }
        catch (Exception ex) when (!session.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Gateway at {Remote} could not follow the committed stream after sequence {After}", link.Remote, after);
            await session.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private bool KeyMatches(byte[] hello)
    {
        var offered = LinkConnection.Reader(hello).ReadString();
        var expected = options.GatewayKey ?? "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>Enters a forwarded command into the engine (in arrival order: the call is made before the next frame is read) and answers.</summary>
    private Task ApplyAsync(LinkConnection link, byte[] body, CancellationToken cancellationToken)
    {
        var (id, payload) = LinkConnection.ReadForward(body);
        Task<CommandResult<object>> submitted;
        try
        {
            var commands = BatchPayload.Decode(payload.Span);
            if (commands.Count != 1) throw new FormatException($"A forwarded command frame holds {commands.Count} commands.");
            submitted = runner.SubmitAsync(commands[0], cancellationToken);
        }
        catch (FormatException ex)
        {
            submitted = Task.FromResult(new CommandResult<object>(ReturnCode.InvalidData, $"forwarded command unreadable: {ex.Message}", null));
        }
        return AnswerAsync(link, id, submitted, cancellationToken);
    }

    private async Task AnswerAsync(LinkConnection link, long id, Task<CommandResult<object>> submitted, CancellationToken cancellationToken)
    {
        CommandResult<object> result;
        try
        {
            result = await submitted.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The cluster did not commit it (this node lost its leadership meanwhile): its outcome is unknown.
            result = new CommandResult<object>(ReturnCode.TechProblem, ex.Message, null) { Sequence = 0 };
        }
        await link.WriteResultAsync(id, new LinkResult(result.Code, result.Sequence, result.Message ?? "", node.LeaderId), cancellationToken).ConfigureAwait(false);
    }

    private async Task SendStatusAsync(LinkConnection link, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(StatusPeriod);
        try
        {
            do
            {
                await link.WriteStatusAsync(new LinkStatus(stream.PublishedSequence, node.LeaderId, node.IsLeader), cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>Writes each committed batch as one frame; a slow gateway holds its own subscription back, nothing else.</summary>
    private sealed class BatchSender(GatewayLinkServer server, LinkConnection link, CancellationTokenSource session) : ICommittedConsumer
    {
        public async ValueTask OnBatchAsync(CommittedBatch batch, CancellationToken cancellationToken)
        {
            if (batch.Commands.Count == 0) return;
            var frame = server._batchFrames.GetValue(batch, static b => LinkConnection.PayloadFrame(LinkKind.Batch, null, BatchPayload.Encode(b.Commands)));
            try
            {
                await link.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
            {
                await session.CancelAsync().ConfigureAwait(false);
            }
        }

        /// <summary>The stream stopped for this gateway (logged by the stream): end the link, so the gateway follows another replica instead of waiting here.</summary>
        public void OnStopped(Exception error)
        {
            try
            {
                session.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The link had already ended.
            }
        }
    }
}
