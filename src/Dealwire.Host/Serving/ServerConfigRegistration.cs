using Dealwire.Host.Configuration;
using Dealwire.ReadModel.History;
using Dealwire.ServerApi;
using Dealwire.ServerApi.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dealwire.Host.Serving;

/// <summary>The installation facts GetConfig reports beside the engine's configuration (ports, paths, build).</summary>
internal static class ServerConfigRegistration
{
    public static void AddServerConfig(IServiceCollection services) =>
        services.AddSingleton(sp =>
        {
            var host = sp.GetRequiredService<HostSettings>();
            var data = sp.GetRequiredService<DataDirectory>();
            var history = sp.GetRequiredService<HistoryOptions>();
            var api = sp.GetRequiredService<IOptions<ServerApiOptions>>().Value;
            var manager = sp.GetService<IOptions<ManagerApi.ManagerApiOptions>>()?.Value;
            // A PostgreSQL connection string may hold a password: only the provider is reported.
            var historyPath = history.Provider == HistoryProvider.Sqlite
                ? (string.IsNullOrEmpty(history.ConnectionString) ? Path.Combine(data.Path, "history.db") : "sqlite")
                : "postgresql";
            return new ServerInstallation(
                Build: typeof(ServerConfigRegistration).Assembly.GetName().Version?.ToString() ?? "",
                HttpPort: host.HttpPort,
                TcpPort: api.Port,
                ManagerPort: manager?.Port ?? 0,
                FixPort: 0,
                WsPort: 0,
                DatabasePath: data.Path,
                HistoryPath: historyPath,
                LogPath: "");
        });
}
