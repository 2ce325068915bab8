using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Configuration;

/// <summary>
/// Builds the configuration every command reads, lowest precedence first: <c>appsettings.json</c> next
/// to the executable, the file given with <c>--config</c>, environment variables <c>DEALWIRE__Section__Key</c>,
/// then the command-line flags.
/// </summary>
public static class DealwireConfiguration
{
    public const string EnvironmentPrefix = "DEALWIRE__";

    public static IConfigurationRoot Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> flags)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (!string.IsNullOrEmpty(configFile))
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path)) throw new FileNotFoundException($"Configuration file not found: {path}", path);
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        return builder
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(flags)
            .Build();
    }
}
