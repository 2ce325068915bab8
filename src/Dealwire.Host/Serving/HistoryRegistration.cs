using Dealwire.ReadModel.History;
using Dealwire.ReadModel.History.Ticks;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// The history store (<c>History:Provider</c>, <c>History:ConnectionString</c>), its projector on the committed
/// stream, and the read-your-writes reader both gateways get as <see cref="IHistoryReader"/>.
/// </summary>
internal static class HistoryRegistration
{
    public static HistoryOptions Options(IConfiguration configuration)
    {
        var options = configuration.GetSection(HistoryOptions.Section).Get<HistoryOptions>() ?? new HistoryOptions();
        if (options.MaxBatchCommands < 1 || options.QueueCapacity < 1)
        {
            throw new InvalidOperationException("History:MaxBatchCommands and History:QueueCapacity must be positive.");
        }
        if (options.DefaultKeepTicksDays < 1 || options.TickRetentionInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("History:DefaultKeepTicksDays and History:TickRetentionInterval must be positive.");
        }
        if (options.CommitInterval < TimeSpan.Zero) throw new InvalidOperationException("History:CommitInterval must not be negative.");
        return options;
    }

    public static void AddHistory(IServiceCollection services, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.AddSingleton(options);
        services.AddSingleton(sp => HistoryStores.Create(options, sp.GetRequiredService<DataDirectory>().Path));
        services.AddSingleton(sp => new HistoryProjector(sp.GetRequiredService<IHistoryStore>(), sp.GetRequiredService<ICommittedStream>(),
            options, sp.GetRequiredService<ILogger<HistoryProjector>>()));
        services.AddSingleton<IHistoryReader>(sp => new ReadYourWritesHistory(sp.GetRequiredService<IHistoryStore>(), sp.GetRequiredService<ICommittedStream>(),
            sp.GetRequiredService<HistoryProjector>()));
        services.AddHostedService<HistoryService>();
        // keepticks lives in the engine's server configuration (GetConfig / UpdateConfig); the view follows it.
        services.AddHostedService(sp => new TickRetention((ITickStore)sp.GetRequiredService<IHistoryStore>(),
            () => sp.GetService<ServerApi.Config.ServerConfigView>()?.Current?.KeepTicks, options.DefaultKeepTicksDays,
            options.TickRetentionInterval, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TickRetention>>()));
    }
}

/// <summary>Starts the projector with the listeners (it opens the database in the background) and lets it drain on stop.</summary>
internal sealed class HistoryService(HistoryProjector projector, IHistoryStore store, ICommittedStream stream) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        projector.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // What was published is written before the process ends, when the database answers in time; what is not
        // is re-read from the journal at the next start.
        if (projector.Running)
        {
            try
            {
                await store.WaitForAsync(stream.PublishedSequence, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
        await projector.DisposeAsync();
        await store.DisposeAsync();
    }
}
