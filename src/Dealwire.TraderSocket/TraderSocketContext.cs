using Dealwire.Security;
using Dealwire.TraderSocket.Fanout;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dealwire.TraderSocket;

/// <summary>What both endpoints' connections share: options, keys, the fan-out hub, the clock and the log.</summary>
public sealed class TraderSocketContext(IOptions<TraderSocketOptions> options, IntegrationKeyStore keys, TraderHub hub, TimeProvider time,
    ILogger<TraderSocketContext> logger)
{
    public TraderSocketOptions Options { get; } = options.Value;
    public IntegrationKeyStore Keys { get; } = keys;
    public TraderHub Hub { get; } = hub;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = logger;
}
