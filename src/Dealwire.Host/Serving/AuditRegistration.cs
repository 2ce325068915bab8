using Dealwire.ReadModel.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// The audit side channel (<see cref="IAuditTrail"/>) on the history store, and GetLogs' reader. Registered after
/// the history service, so at shutdown it stores "ServerStop" and drains before the store is closed.
/// </summary>
internal static class AuditRegistration
{
    public static void AddAudit(IServiceCollection services)
    {
        services.AddSingleton(sp => (IAuditStore)sp.GetRequiredService<IHistoryStore>());
        services.AddSingleton<IAuditLogReader>(sp => sp.GetRequiredService<IAuditStore>());
        services.AddSingleton(sp => new AuditSideChannel(sp.GetRequiredService<IAuditStore>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Dealwire.Audit")));
        services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditSideChannel>());
        services.AddHostedService<AuditService>();
    }
}

/// <summary>Starts the side channel's writer and records the server's start and stop.</summary>
internal sealed class AuditService(AuditSideChannel audit, TimeProvider time, DataDirectory data) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        audit.Start();
        audit.Record(new AuditEvent(time.GetUtcNow().ToUnixTimeMilliseconds(), "system", AuditActions.ServerStart, AuditStatus.Info, "local",
            $"dealwire {typeof(AuditService).Assembly.GetName().Version} started, pid {Environment.ProcessId}, data {data.Path}"));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        audit.Record(new AuditEvent(time.GetUtcNow().ToUnixTimeMilliseconds(), "system", AuditActions.ServerStop, AuditStatus.Info, "local",
            $"dealwire stopping, pid {Environment.ProcessId}"));
        await audit.FlushAndStopAsync(TimeSpan.FromSeconds(5));
    }
}
