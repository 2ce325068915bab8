using Dealwire.ReadModel.Exports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.Host.Serving;

/// <summary>
/// Trade exports: files in the data directory's <c>storage/</c>, configured by the <c>Exports</c> section —
/// <c>Retention</c> (how long a file may be fetched, default 1 day), <c>SweepInterval</c> (how often expired files are
/// deleted, default 1 minute) and <c>MaxRows</c> (the largest export, default 1 000 000 rows).
/// </summary>
internal static class ExportRegistration
{
    public const string Section = "Exports";

    public static void AddExports(IServiceCollection services, IConfiguration configuration, DataDirectory data)
    {
        var section = configuration.GetSection(Section);
        var retention = section.GetValue("Retention", TimeSpan.FromDays(1));
        var interval = section.GetValue("SweepInterval", TimeSpan.FromMinutes(1));
        var maxRows = section.GetValue("MaxRows", ExportStorage.DefaultMaxRows);
        if (retention <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:Retention must be positive, not {retention}");
        if (interval <= TimeSpan.Zero) throw new InvalidOperationException($"{Section}:SweepInterval must be positive, not {interval}");
        if (maxRows < 1) throw new InvalidOperationException($"{Section}:MaxRows must be at least 1, not {maxRows}");
        services.AddSingleton(sp => new ExportStorage(Path.Combine(data.Path, "storage"), retention, sp.GetRequiredService<TimeProvider>(), maxRows));
        services.AddSingleton<IHostedService>(sp => new ExportRetention(sp.GetRequiredService<ExportStorage>(), interval,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ExportRetention>>()));
    }
}
