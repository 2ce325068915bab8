using Dealwire.Engine.Runtime;
using Dealwire.Feeds;
using Dealwire.Feeds.Filtering;
using Dealwire.Feeds.Replay;
using Dealwire.Feeds.Synthetic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>Which quote source <c>serve</c> runs (<c>Feed:Kind</c>).</summary>
public enum FeedKind { None, Synthetic, Replay }

/// <summary>Starts the configured feed with the host and stops it before the engine stops.</summary>
internal sealed class FeedService : IHostedService, IAsyncDisposable
{
    public const string Section = "Feed";
    private readonly ILogger<FeedService> _logger;

    public FeedService(IConfiguration configuration, EngineRunner runner, TimeProvider clock, ILogger<FeedService> logger)
    {
        _logger = logger;
        var section = configuration.GetSection(Section);
        Kind = section.GetValue("Kind", FeedKind.Synthetic);
        Filter = new QuoteFilter(section.GetSection("Filter").Get<QuoteFilterOptions>() ?? new QuoteFilterOptions(), clock);
        var target = new EngineTickTarget(runner, Filter);
        Feed = Kind switch
        {
            FeedKind.Synthetic => new SyntheticFeed(section.Get<SyntheticFeedOptions>() ?? new SyntheticFeedOptions(), target, clock),
            FeedKind.Replay => CreateReplay(section.Get<ReplayFeedOptions>() ?? new ReplayFeedOptions(), target, clock),
            _ => null,
        };
    }

    public FeedKind Kind { get; }

    public QuoteFilter Filter { get; }

    /// <summary>The running feed; null when <c>Feed:Kind</c> is None.</summary>
    public BackgroundFeed? Feed { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Feed is null)
        {
            _logger.LogInformation("No quote feed configured (Feed:Kind = None)");
            return;
        }
        await Feed.StartAsync(cancellationToken);
        _logger.LogInformation("Quote feed {Feed} started", Feed.Name);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Feed is null) return;
        await Feed.StopAsync(cancellationToken);
        if (Feed.Fault is { } fault) _logger.LogError(fault, "Quote feed {Feed} had failed", Feed.Name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Feed is not null) await Feed.DisposeAsync();
    }

    private ReplayFeed CreateReplay(ReplayFeedOptions options, ITickTarget target, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.ReplayFile)) throw new InvalidOperationException("Feed:Kind is Replay but Feed:ReplayFile is not set.");
        var path = Path.GetFullPath(options.ReplayFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"Feed:ReplayFile not found: {path}", path);
        var tape = ReplayTape.Load(path);
        foreach (var skipped in tape.SkippedLines.Take(10)) _logger.LogWarning("Replay file {File}: skipped {Line}", path, skipped);
        if (tape.SkippedLines.Count > 10) _logger.LogWarning("Replay file {File}: {Count} lines skipped in all", path, tape.SkippedLines.Count);
        return new ReplayFeed(tape, options, target, clock);
    }
}
