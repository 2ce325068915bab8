using System.CommandLine;
using Dealwire.Host.Serving;

namespace Dealwire.Host.Cli;

/// <summary><c>dealwire serve</c>: runs the engine, the feed, the gateways and the HTTP endpoint until stopped.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var httpPort = CommonOptions.Port("--http-port", "Host:HttpPort", 8088);
        var serverApiPort = CommonOptions.Port("--server-api-port", "ServerApi:Port", 8080);
        var managerApiPort = CommonOptions.Port("--manager-api-port", "ManagerApi:Port", 8081);
        var config = CommonOptions.ConfigFile();
        var logFormat = new Option<string>("--log-format") { Description = "Console log format: simple (default) or json. Config: Logging:Console:FormatterName", HelpName = "simple|json" };
        logFormat.AcceptOnlyFromAmong("simple", "json");
        var role = new Option<string>("--role") { Description = "In a cluster: replica (default) or gateway. Config: Cluster:Role", HelpName = "replica|gateway" };
        role.AcceptOnlyFromAmong("replica", "gateway");

        var serve = new Command("serve", "Run the trading server until Ctrl+C or SIGTERM.")
        {
            dataDir, httpPort, serverApiPort, managerApiPort, config, logFormat, role,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CommonOptions.Configuration(parse, config,
                (dataDir, "Host:DataDir"),
                (httpPort, "Host:HttpPort"),
                (serverApiPort, "ServerApi:Port"),
                (managerApiPort, "ManagerApi:Port"),
                (logFormat, "Logging:Console:FormatterName"),
                (role, "Cluster:Role"));
            return await DealwireServer.RunAsync(configuration, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return serve;
    }
}
