using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// The newcomer path of README.md ("Run it, test it"), run as written: every <c>$ command</c> of the section goes
/// through bash against a freshly started server (only its ports and data directory substituted), and what each
/// prints must have the shape the README shows (numbers may differ, "..." stands for anything).
/// </summary>
[Trait("Category", "Slow")] // a server process of its own per test, driven through bash
public sealed partial class ReadmeQuickStartTests
{
    private const string Section = "## Run it, test it";

    [Fact]
    public async Task The_readme_quick_start_subscribes_to_eurusd_sees_ticks_and_creates_an_account()
    {
        var steps = ReadSteps();
        Assert.Contains(steps, s => s.Command.Contains("/dev/tcp/127.0.0.1/8080", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.Contains("\"command\":\"Subscribe\"", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.Contains("\"command\":\"AddUser\"", StringComparison.Ordinal));

        await using var server = await DealwireProcess.StartAsync();
        // "prints a demo admin token once (also saved to dealwire-data/admin-token.txt)"
        Assert.Contains(server.AdminToken, server.StandardOutput, StringComparison.Ordinal);

        var script = new StringBuilder("set -e\n");
        for (var i = 0; i < steps.Count; i++)
        {
            // Each marker starts on a new line: curl prints no final newline.
            script.Append(CultureInfo.InvariantCulture, $"printf '\\n@@step {i}\\n'\n").Append(Localize(steps[i].Command, server)).Append('\n');
        }
        var (exitCode, output) = await RunBashAsync(script.ToString(), server.RootDir);
        Assert.True(exitCode == 0, $"bash exited {exitCode}:\n{output}\n--- script ---\n{script}");

        var printed = SplitByStep(output, steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var expected = steps[i].Output;
            Assert.True(expected.Count == printed[i].Count, $"step '{steps[i].Command}' printed {printed[i].Count} line(s), the README shows {expected.Count}:\n{string.Join('\n', printed[i])}");
            for (var j = 0; j < expected.Count; j++)
            {
                Assert.True(Shape(expected[j]).IsMatch(printed[i][j]), $"step '{steps[i].Command}' line {j + 1}:\n  README: {expected[j]}\n  server: {printed[i][j]}");
            }
        }

        // The account the README created exists.
        var created = printed[steps.FindIndex(s => s.Command.Contains("\"extID\":\"2\"", StringComparison.Ordinal) && s.Command.StartsWith("grep", StringComparison.Ordinal))];
        var login = Wire.Parse(created.Single()).Data().GetProperty("login").GetInt64();
        await using var c = await LineClient.ConnectAsync(server.ServerApiPort);
        var account = await c.CallAsync("GetAccountByLogin", new { login }, server.AdminToken);
        account.AssertOk();
        Assert.Equal("John Doe", account.Data().GetProperty("name").GetString());
    }

    private sealed record Step(string Command, List<string> Output);

    /// <summary>The "$ " lines of the section's sh blocks, each with the lines shown under it.</summary>
    private static List<Step> ReadSteps()
    {
        var readme = File.ReadAllLines(Path.Combine(DealwireBinary.RepositoryRoot, "README.md"));
        var start = Array.IndexOf(readme, Section);
        Assert.True(start >= 0, $"README.md has no '{Section}' section");
        var steps = new List<Step>();
        var inBlock = false;
        for (var i = start + 1; i < readme.Length && !readme[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            var line = readme[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            if (line.StartsWith("$ ", StringComparison.Ordinal)) steps.Add(new Step(line[2..], []));
            else if (steps.Count > 0 && line.Length > 0) steps[^1].Output.Add(line);
        }
        Assert.NotEmpty(steps);
        return steps;
    }

    /// <summary>The README's default ports and data directory replaced by the test server's.</summary>
    private static string Localize(string command, DealwireProcess server) => command
        .Replace("127.0.0.1:8088", $"127.0.0.1:{server.HttpPort}", StringComparison.Ordinal)
        .Replace("/dev/tcp/127.0.0.1/8080", $"/dev/tcp/127.0.0.1/{server.ServerApiPort}", StringComparison.Ordinal)
        .Replace("dealwire-data/", server.DataDir + "/", StringComparison.Ordinal);

    /// <summary>A README output line as a pattern: literal text, any number where it shows a number, anything for "...".</summary>
    private static Regex Shape(string shown)
    {
        var pattern = new StringBuilder("^");
        foreach (var part in shown.Split("..."))
        {
            if (pattern.Length > 1) pattern.Append(".*");
            var last = 0;
            foreach (Match number in NumberPattern().Matches(part))
            {
                pattern.Append(Regex.Escape(part[last..number.Index])).Append(@"-?\d+(?:\.\d+)?");
                last = number.Index + number.Length;
            }
            pattern.Append(Regex.Escape(part[last..]));
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex NumberPattern();

    private static List<string>[] SplitByStep(string output, int count)
    {
        var printed = Enumerable.Range(0, count).Select(_ => new List<string>()).ToArray();
        var current = -1;
        foreach (var line in output.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.StartsWith("@@step ", StringComparison.Ordinal)) current = int.Parse(text[7..], CultureInfo.InvariantCulture);
            else if (current >= 0 && text.Length > 0) printed[current].Add(text);
        }
        return printed;
    }

    /// <summary>
    /// The README runs <c>dotnet run --project src/Dealwire.Host -- serve</c> from the repository root and then reads
    /// <c>dealwire-data/admin-token.txt</c> there. The Web SDK would run the server in src/Dealwire.Host/ (its data
    /// directory with it); the project runs it where the command was typed instead. Checked on the evaluated
    /// property, without starting a second build of the host.
    /// </summary>
    [Fact]
    public async Task The_readme_run_command_keeps_the_data_directory_where_it_was_typed()
    {
        var readme = File.ReadAllText(Path.Combine(DealwireBinary.RepositoryRoot, "README.md"));
        Assert.Contains("dotnet run --project src/Dealwire.Host -c Release -- serve", readme, StringComparison.Ordinal);
        Assert.Contains("cat dealwire-data/admin-token.txt", readme, StringComparison.Ordinal);

        var root = DealwireBinary.RepositoryRoot;
        var start = new ProcessStartInfo("dotnet", ["msbuild", "src/Dealwire.Host/Dealwire.Host.csproj", "-getProperty:RunWorkingDirectory"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var msbuild = Process.Start(start)!;
        var output = await msbuild.StandardOutput.ReadToEndAsync();
        await msbuild.WaitForExitAsync();
        Assert.True(msbuild.ExitCode == 0, output + await msbuild.StandardError.ReadToEndAsync());
        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)), Path.TrimEndingDirectorySeparator(output.Trim()));
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"the README commands did not finish in 60 s:\n{await stdout}\n{await stderr}");
        }
        return (bash.ExitCode, await stdout + await stderr);
    }
}
