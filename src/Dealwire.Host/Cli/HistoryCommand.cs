using System.CommandLine;
using Dealwire.Host.Configuration;
using Dealwire.Host.Serving;
using Dealwire.ReadModel.History;

namespace Dealwire.Host.Cli;

/// <summary><c>dealwire history rebuild</c>: re-projects the history store (History:Provider) from the journal.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var config = CommonOptions.ConfigFile();
        var rebuild = new Command("rebuild", "Empty the history store and rebuild it from the journal (History:Provider, History:ConnectionString). Stop the server first.")
        {
            dataDir, config,
        };
        rebuild.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CommonOptions.Configuration(parse, config, (dataDir, "Host:DataDir"));
            var settings = HostSettings.From(configuration);
            var options = HistoryRegistration.Options(configuration);
            await using var store = HistoryStores.Create(options, settings.DataDirectory);
            var result = await HistoryRebuild.RunAsync(store, settings.DataDirectory, options.MaxBatchCommands, cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"history store  : {options.Provider}");
            output.WriteLine($"commands       : {result.Commands}");
            output.WriteLine($"sequence       : {result.LastSequence}");
            return 0;
        });
        return new Command("history", "History store maintenance.") { rebuild };
    }
}
