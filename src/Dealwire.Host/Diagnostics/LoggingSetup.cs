using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace Dealwire.Host.Diagnostics;

/// <summary>
/// Console logs: the default text format, or one JSON object per line with <c>Logging:Console:FormatterName=json</c>
/// (or <c>serve --log-format json</c>). Scopes are on by default in both, so every line written while a command
/// runs carries its connection id, login and command.
/// </summary>
internal static class LoggingSetup
{
    public const string FormatterKey = "Logging:Console:FormatterName";

    public static void AddLogging(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var scopesSet = configuration["Logging:Console:FormatterOptions:IncludeScopes"] is not null;
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            if (!scopesSet) o.IncludeScopes = true;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            if (!scopesSet) o.IncludeScopes = true;
            o.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
    }
}
