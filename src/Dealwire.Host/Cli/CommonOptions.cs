using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Dealwire.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Cli;

/// <summary>Options several commands share, and how flags become configuration keys.</summary>
internal static class CommonOptions
{
    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "Data directory (keys, journal, snapshots). Default ./dealwire-data. Config: Host:DataDir",
        HelpName = "DIR",
    };

    public static Option<string> ConfigFile() => new("--config")
    {
        Description = "Extra JSON configuration file, applied over appsettings.json and under environment variables and flags.",
        HelpName = "FILE",
    };

    public static Option<int?> Port(string name, string configKey, int defaultPort)
    {
        var option = new Option<int?>(name)
        {
            Description = $"Port (default {defaultPort}). Config: {configKey}",
            HelpName = "PORT",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } port && port is < 1 or > 65535)
            {
                result.AddError($"{name} must be between 1 and 65535, not {port}.");
            }
        });
        return option;
    }

    /// <summary>Builds the configuration from the shared sources plus the flags that were given.</summary>
    public static IConfigurationRoot Configuration(ParseResult parse, Option<string> configFile, params (Option Option, string Key)[] flags)
    {
        var overrides = new List<KeyValuePair<string, string?>>();
        foreach (var (option, key) in flags)
        {
            var result = parse.GetResult(option);
            if (result is null || result.Implicit || result.Tokens.Count == 0) continue;
            var value = result.Tokens[0].Value;
            // Relative paths on the command line mean "from where I am", not from the executable.
            if (key == $"{HostSettings.Section}:{nameof(HostSettings.DataDir)}") value = Path.GetFullPath(value);
            overrides.Add(new(key, value));
        }
        return DealwireConfiguration.Build(parse.GetValue(configFile), overrides);
    }

    /// <summary>Parses durations such as <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c> or <c>1.12:00:00</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? value = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(amount * 7),
                _ => null,
            };
            if (value is not { } parsed) return false;
            duration = parsed;
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }
        return duration > TimeSpan.Zero;
    }

    public static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TryParseDuration(text, out var value)) return value;
            result.AddError($"{name}: '{text}' is not a positive duration; use a number with s, m, h, d or w (30m, 12h, 7d).");
            return default;
        },
    };

    /// <summary>Writes an error the way every command does and returns the exit code for it.</summary>
    public static int Fail(ParseResult parse, string message, int exitCode = 1)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
