using Dealwire.Engine.Runtime;
using Dealwire.Feeds;
using Dealwire.Feeds.Feeder;
using Dealwire.Feeds.Filtering;
using Dealwire.Feeds.Fix;
using Dealwire.Feeds.Replay;
using Dealwire.Feeds.Sources;
using Dealwire.Feeds.Synthetic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>Which quote source <c>serve</c> runs (<c>Feed:Kind</c>, or <c>Kind</c> of an entry of <c>Feed:Sources</c>).</summary>
public enum FeedKind { None, Synthetic, Replay, Fix, Feeder }

/// <summary>One entry of <c>Feed:Sources</c>: a named source with a priority (0 = primary); FIX settings sit beside them.</summary>
public sealed class FeedSourceSettings
{
    public string Name { get; set; } = "";

    public FeedKind Kind { get; set; }

    public int Priority { get; set; }
}

/// <summary>
/// Starts the configured feeds with the host and stops them before the engine stops. Either one feed
/// (<c>Feed:Kind</c>: Synthetic, Replay, Fix) or a list of sources (<c>Feed:Sources</c>) with priorities, arbitrated per
/// symbol (docs/feeds.md). Feeders of the feeder endpoint join the same arbitration when they connect.
/// </summary>
internal sealed class FeedService : IHostedService, IAsyncDisposable
{
    public const string Section = "Feed";
    private readonly ILogger<FeedService> _logger;

    private readonly EngineRunner? _runner;

    public FeedService(IConfiguration configuration, QuoteFilter filter, FeedRouting routing, DataDirectory dataDirectory, TimeProvider clock,
        ILoggerFactory loggers, EngineRunner? runner = null)
    {
        _runner = runner;
        _logger = loggers.CreateLogger<FeedService>();
        Filter = filter;
        Routing = routing;
        var section = configuration.GetSection(Section);
        var sources = SourcesOf(section);
        Kind = sources.Count == 0 ? section.GetValue("Kind", FeedKind.Synthetic) : FeedKind.None;
        if (sources.Count == 0 && Kind is not (FeedKind.None or FeedKind.Feeder))
        {
            // The single-feed form: the source is named after its kind ("synthetic", "replay", "fix").
            var name = Kind.ToString().ToLowerInvariant();
            var settings = Kind == FeedKind.Fix ? section.GetSection("Fix") : section;
            Feeds = [Create(Kind, name, settings, routing.TargetFor(name, 0), dataDirectory, clock, loggers)];
        }
        else
        {
            Feeds = sources
                .Where(s => s.Settings.Kind != FeedKind.Feeder)
                .Select(s => Create(s.Settings.Kind, s.Settings.Name, s.Section, routing.TargetFor(s.Settings.Name, s.Settings.Priority), dataDirectory, clock, loggers))
                .ToList();
        }
    }

    public FeedKind Kind { get; }

    public QuoteFilter Filter { get; }

    public FeedRouting Routing { get; }

    /// <summary>The feeds this server runs itself (not the feeders, which connect to it).</summary>
    public IReadOnlyList<BackgroundFeed> Feeds { get; }

    /// <summary>The first feed; null when none runs.</summary>
    public BackgroundFeed? Feed => Feeds.Count > 0 ? Feeds[0] : null;

    /// <summary>The shared pieces of the feed path, and the feeder endpoint's services.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        services.AddSingleton(sp => new QuoteFilter(section.GetSection("Filter").Get<QuoteFilterOptions>() ?? new QuoteFilterOptions(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FeedRouting(
            new FeedSourceRegistry(),
            new SourceArbiter(section.GetValue("StaleAfter", TimeSpan.FromSeconds(5)), sp.GetRequiredService<TimeProvider>()),
            new EngineTickTarget(sp.GetRequiredService<EngineRunner>(), sp.GetRequiredService<QuoteFilter>())));
        services.AddSingleton(sp => new FeedMetrics(sp.GetRequiredService<FeedRouting>().Sources, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FeederKeyStore(sp.GetRequiredService<DataDirectory>().Path));
        services.AddSingleton(new FeederPriorities(SourcesOf(section)
            .Where(s => s.Settings.Kind == FeedKind.Feeder)
            .ToDictionary(s => s.Settings.Name, s => s.Settings.Priority, StringComparer.Ordinal)));
        services.Configure<FeederListenerOptions>(configuration.GetSection(FeederListenerOptions.Section));
        services.AddSingleton<FeedService>();
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<FeedMetrics>(); // instruments exist from the start, not from the first scrape
            return sp.GetRequiredService<FeedService>();
        });
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Feeds.Count == 0)
        {
            _logger.LogInformation("No quote feed of the server's own (Feed:Kind = {Kind}); feeders may connect", Kind);
            return;
        }
        foreach (var feed in Feeds)
        {
            await feed.StartAsync(cancellationToken);
            _logger.LogInformation("Quote feed {Feed} started", feed.Name);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var feed in Feeds)
        {
            await feed.StopAsync(cancellationToken);
            if (feed.Fault is { } fault) _logger.LogError(fault, "Quote feed {Feed} had failed", feed.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var feed in Feeds) await feed.DisposeAsync();
    }

    private static List<(FeedSourceSettings Settings, IConfigurationSection Section)> SourcesOf(IConfigurationSection feed)
    {
        var list = new List<(FeedSourceSettings, IConfigurationSection)>();
        foreach (var entry in feed.GetSection("Sources").GetChildren())
        {
            var settings = entry.Get<FeedSourceSettings>() ?? new FeedSourceSettings();
            if (string.IsNullOrWhiteSpace(settings.Name)) throw new InvalidOperationException($"Feed:Sources:{entry.Key}: Name is required.");
            if (settings.Kind == FeedKind.None) throw new InvalidOperationException($"Feed:Sources:{entry.Key} ({settings.Name}): Kind is required (Fix, Synthetic, Replay, Feeder).");
            if (list.Any(s => s.Item1.Name == settings.Name)) throw new InvalidOperationException($"Feed:Sources: the name '{settings.Name}' is used twice.");
            list.Add((settings, entry));
        }
        return list;
    }

    private BackgroundFeed Create(FeedKind kind, string name, IConfigurationSection settings, SourceTickTarget target, DataDirectory dataDirectory,
        TimeProvider clock, ILoggerFactory loggers)
    {
        target.Source.SessionStarted(); // a local feed is connected while it runs; FIX tracks its own logon instead
        switch (kind)
        {
            case FeedKind.Synthetic:
                return new SyntheticFeed(settings.Get<SyntheticFeedOptions>() ?? new SyntheticFeedOptions(), target, clock);
            case FeedKind.Replay:
                return CreateReplay(settings.Get<ReplayFeedOptions>() ?? new ReplayFeedOptions(), target, clock);
            case FeedKind.Fix:
                target.Source.SessionEnded();
                return new FixFeed(name, settings.Get<FixSourceOptions>() ?? new FixSourceOptions(), dataDirectory.Path, target, clock,
                    loggers.CreateLogger("Dealwire.Feeds.Fix"));
            default:
                throw new InvalidOperationException($"Feed source '{name}': kind {kind} is not a feed the server runs.");
        }
    }

    private ReplayFeed CreateReplay(ReplayFeedOptions options, ITickTarget target, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.ReplayFile)) throw new InvalidOperationException("Feed:Kind is Replay but Feed:ReplayFile is not set.");
        var path = Path.GetFullPath(options.ReplayFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"Feed:ReplayFile not found: {path}", path);
        var tape = ReplayTape.Load(path);
        foreach (var skipped in tape.SkippedLines.Take(10)) _logger.LogWarning("Replay file {File}: skipped {Line}", path, skipped);
        if (tape.SkippedLines.Count > 10) _logger.LogWarning("Replay file {File}: {Count} lines skipped in all", path, tape.SkippedLines.Count);
        // An as-fast-as-possible replay plays at the pace the quote readers take it (docs/feeds.md, "Replay at speed 0").
        var runner = _runner;
        return new ReplayFeed(tape, options, target, clock, runner is null ? null : () => runner.QuoteReadersBehind);
    }
}
